import { AppError } from '../../src-shared/domain/errors.ts';
import type { InvokeChannel, InvokeInput, InvokeOutput } from '../../src-shared/ipc/contract.ts';
import type { Services } from '../core/services.ts';

/** One contract call through the router (input validated as for the app); an error result becomes an AppError. */
export async function call<C extends InvokeChannel>(
  services: Services,
  channel: C,
  input: InvokeInput<C>,
): Promise<InvokeOutput<C>> {
  const result = await services.router.call(channel, input);
  if (!result.ok) throw new AppError(result.error.code, result.error.message);
  return result.value as InvokeOutput<C>;
}
