import { installSignalHandlers } from '../../src';

describe('installSignalHandlers', () => {
  it('closes the app on the first signal, exits 0, and exits 1 at once on a second', async () => {
    let finishClose: () => void = () => undefined;
    const closing = new Promise<void>((resolve) => (finishClose = resolve));
    const app = { close: jest.fn(() => closing) };
    const codes: number[] = [];
    const remove = installSignalHandlers(app, {
      signals: ['SIGUSR2'],
      exit: (code) => codes.push(code),
    });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(app.close).toHaveBeenCalledTimes(1);
      process.emit('SIGUSR2', 'SIGUSR2');
      expect(codes).toEqual([1]);
      finishClose();
      await closing;
      await new Promise((resolve) => setImmediate(resolve));
      expect(codes).toEqual([1, 0]);
      expect(app.close).toHaveBeenCalledTimes(1);
    } finally {
      remove();
    }
  });

  it('exits 1 when closing fails', async () => {
    const app = { close: () => Promise.reject(new Error('db stuck')) };
    const codes: number[] = [];
    const remove = installSignalHandlers(app, {
      signals: ['SIGUSR2'],
      exit: (code) => codes.push(code),
    });
    try {
      process.emit('SIGUSR2', 'SIGUSR2');
      await new Promise((resolve) => setImmediate(resolve));
      expect(codes).toEqual([1]);
    } finally {
      remove();
    }
  });

  it('removes its handlers', () => {
    const before = process.listenerCount('SIGUSR2');
    const remove = installSignalHandlers(
      { close: () => Promise.resolve() },
      { signals: ['SIGUSR2'], exit: () => undefined },
    );
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    remove();
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});
