import type { Logger } from '@opspilot/core/ports';

/** JSON lines on stdout/stderr; secrets must never be passed in `data`. */
export function createConsoleLogger(level: 'debug' | 'info' = 'info'): Logger {
  const write = (severity: string, message: string, data?: Record<string, unknown>) => {
    const line = JSON.stringify({ time: new Date().toISOString(), level: severity, message, ...data });
    if (severity === 'error' || severity === 'warn') console.error(line);
    else console.log(line);
  };
  return {
    debug: (message, data) => {
      if (level === 'debug') write('debug', message, data);
    },
    info: (message, data) => write('info', message, data),
    warn: (message, data) => write('warn', message, data),
    error: (message, data) => write('error', message, data),
  };
}
