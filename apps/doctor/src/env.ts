// The only place the doctor reads the process environment: which programs its browser step runs.

export interface BrowserEnv {
  /** The system browser for `--browser system` (`$BROWSER`, as agent CLIs honour it). */
  systemBrowser: string;
  /** The Chromium that `--browser playwright` drives. */
  chromiumPath: string;
}

export function readBrowserEnv(env: NodeJS.ProcessEnv = process.env): BrowserEnv {
  return {
    systemBrowser: env.BROWSER ?? 'xdg-open',
    chromiumPath: env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  };
}
