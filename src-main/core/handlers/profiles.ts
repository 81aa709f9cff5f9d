import type { Handlers } from '../router.ts';
import { notImplemented } from './not-implemented.ts';

export type ProfilesHandlers = Pick<
  Handlers,
  'profiles:list' | 'profiles:add' | 'profiles:test' | 'profiles:remove' | 'profiles:import'
>;

export function createProfilesHandlers(_deps: Record<string, unknown>): ProfilesHandlers {
  return {
    'profiles:list': async () => notImplemented('profiles:list'),
    'profiles:add': async () => notImplemented('profiles:add'),
    'profiles:test': async () => notImplemented('profiles:test'),
    'profiles:remove': async () => notImplemented('profiles:remove'),
    'profiles:import': async () => notImplemented('profiles:import'),
  };
}
