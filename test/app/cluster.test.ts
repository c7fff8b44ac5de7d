import { runCluster } from '../../src';

describe('runCluster options', () => {
  it.each([0, -1, 1.5])('refuses workers: %p before forking anything', async (workers) => {
    await expect(runCluster({ workers, handleSignals: false })).rejects.toBeInstanceOf(RangeError);
  });
});
