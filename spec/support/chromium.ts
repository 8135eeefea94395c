/**
 * Headless Chromium for the HTML report specs: the DOM after the page's script ran, and a
 * screenshot. Each call gets its own throwaway profile and reaches no network.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run',
  '--disable-component-update', '--disable-sync', '--disable-extensions', '--hide-scrollbars', '--mute-audio',
  // Lets the page's script and layout settle before the dump or the screenshot.
  '--virtual-time-budget=3000',
];

async function runChromium(binary: string, args: readonly string[]): Promise<string> {
  const profile = mkdtempSync(path.join(os.tmpdir(), 'chromium-'));
  try {
    return await new Promise((resolve, reject) => {
      const child = spawn(binary, [...FLAGS, `--user-data-dir=${profile}`, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`chromium exited ${code}: ${err.slice(-2000)}`))));
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

/** The serialized DOM of `file` once its scripts ran. */
export function dumpDom(binary: string, file: string): Promise<string> {
  return runChromium(binary, ['--dump-dom', pathToFileURL(file).href]);
}

/** A PNG screenshot of `file` at `width`×`height`. */
export async function screenshot(binary: string, file: string, png: string, size: { width: number; height: number }): Promise<void> {
  await runChromium(binary, [`--screenshot=${png}`, `--window-size=${size.width},${size.height}`, pathToFileURL(file).href]);
}
