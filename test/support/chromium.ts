/** Debian's Chromium (`.ci/run` installs it), driven by playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/** The flags every browser test launches it with (headless, no network of its own). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
