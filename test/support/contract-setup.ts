import { afterAll, afterEach } from 'vitest';
import { checkContractAtRuntime, failOnContractViolations } from './contract-check.ts';

// A vitest setup file (vitest.config.ts): every event and router output of every test is checked against the
// contract, and a test during which one broke it fails.
checkContractAtRuntime();
afterEach(() => {
  failOnContractViolations();
});
// What a file's beforeAll or afterAll set off (a queue closing, say) fails the file.
afterAll(() => {
  failOnContractViolations();
});
