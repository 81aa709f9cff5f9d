import type { EventName, InvokeChannel } from '../../src-shared/ipc/contract.ts';

/**
 * The contract's channel and event names without its schemas. The sandboxed preload imports this file
 * only, so zod stays out of it; the type checks below and a unit test keep the lists equal to the contract.
 */
export const INVOKE_CHANNELS = [
  'app:info',
  'ids:parse',
  'objects:resolve',
  'files:preview',
  'files:verify',
  'portal:search',
  'portal:facets',
  'profiles:list',
  'profiles:resolve',
  'profiles:add',
  'profiles:test',
  'profiles:remove',
  'profiles:import',
  'queue:add',
  'queue:snapshot',
  'queue:wait-idle',
  'queue:pause',
  'queue:resume',
  'queue:cancel',
  'queue:retry',
  'queue:remove',
  'queue:pause-all',
  'queue:resume-all',
  'queue:retry-failed',
  'queue:reorder',
  'queue:move-to-top',
  'queue:lookup',
  'queue:open-target',
  'settings:get',
  'settings:set',
  'disk:space',
  'folder:check',
  'app:choose-folder',
] as const satisfies readonly InvokeChannel[];

export const EVENT_NAMES = [
  'queue:progress',
  'queue:changed',
  'queue:batch-done',
  'settings:changed',
  'profiles:changed',
  'app:open-items',
] as const satisfies readonly EventName[];

/** Events the preload keeps until the page subscribes: they are sent once and must not be missed. */
export const HELD_EVENTS = ['app:open-items'] as const satisfies readonly EventName[];

/** The one IPC channel main pushes batches of core events on; never a contract channel name. */
export const EVENT_BATCH_CHANNEL = 'api:events';

/** One pushed event, as it travels in a batch. */
export interface EventMessage {
  name: EventName;
  payload: unknown;
}

// A contract name missing from the lists above is a compile error that names it.
type MissingChannel = Exclude<InvokeChannel, (typeof INVOKE_CHANNELS)[number]>;
type MissingEvent = Exclude<EventName, (typeof EVENT_NAMES)[number]>;
export const allChannelsListed: [MissingChannel] extends [never] ? true : MissingChannel = true;
export const allEventsListed: [MissingEvent] extends [never] ? true : MissingEvent = true;
