import type { Handlers } from '../router.ts';
import type { AppHandlers } from './app.ts';
import type { KeyInUseHandlers } from './key-in-use.ts';
import type { ObjectsHandlers } from './objects.ts';
import type { PortalHandlers } from './portal.ts';
import type { ProfilesHandlers } from './profiles.ts';
import type { QueueHandlers } from './queue.ts';

/** The areas together must cover every channel: a gap is a compile error here. */
export function combineHandlers(
  app: AppHandlers,
  objects: ObjectsHandlers,
  portal: PortalHandlers,
  profiles: ProfilesHandlers,
  keyInUse: KeyInUseHandlers,
  queue: QueueHandlers,
): Handlers {
  return { ...app, ...objects, ...portal, ...profiles, ...keyInUse, ...queue };
}
