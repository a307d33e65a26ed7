/**
 * A wall clock the tests move, shared by the browsers started with it: libfaketime (Debian's
 * `faketime` package) preloaded into Chromium reads an offset from a file the test rewrites.
 * Only the wall clock moves (Date.now, the period, the reminders); monotonic time, which timers
 * and WebRTC run on, stays real. Firefox does not start under libfaketime, so this is Chromium's.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const LIBFAKETIME = process.env.LIBFAKETIME ?? '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
/** How long the browsers may keep reading an old offset (libfaketime caches the file this many seconds). */
const CACHE_SECONDS = 1;

export class FakeClock {
  private readonly file = join(mkdtempSync(join(tmpdir(), 'margins-clock-')), 'offset');
  private offsetMs = 0;

  constructor() {
    if (!existsSync(LIBFAKETIME)) throw new Error(`${LIBFAKETIME} is missing: install Debian's faketime package (apt-get install faketime), or set LIBFAKETIME`);
    this.write();
  }

  /** What the browsers' Date.now() reads now. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Moves every browser's wall clock forward, and waits until they all read the new time. */
  async advance(ms: number): Promise<void> {
    this.offsetMs += ms;
    this.write();
    await new Promise((r) => setTimeout(r, CACHE_SECONDS * 1_000 + 200));
  }

  /** The environment a browser process is started with to read this clock. */
  env(): Record<string, string> {
    return {
      LD_PRELOAD: LIBFAKETIME,
      FAKETIME_TIMESTAMP_FILE: this.file,
      FAKETIME_CACHE_DURATION: String(CACHE_SECONDS),
      // Chromium opens no tab when libfaketime also fakes monotonic time or resets it in children.
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
      FAKETIME_FORCE_MONOTONIC_FIX: '0',
      FAKETIME_DONT_RESET: '1',
    };
  }

  private write(): void {
    // "+N": N seconds ahead of the real clock, time still running.
    writeFileSync(this.file, `+${Math.round(this.offsetMs / 1_000)}\n`);
  }
}
