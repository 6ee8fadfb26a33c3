/** Where a verb writes: text for people, or one JSON document for scripts. */
export interface Output {
  readonly json: boolean;
  readonly line: (text: string) => void;
  readonly data: (value: unknown) => void;
  readonly error: (text: string) => void;
}

/** Output to the process's stdout and stderr. */
export const consoleOutput = (json: boolean): Output => ({
  json,
  line: (text) => {
    if (!json) {
      console.log(text);
    }
  },
  data: (value) => {
    if (json) {
      console.log(JSON.stringify(value, null, 2));
    }
  },
  error: (text) => {
    if (json) {
      console.log(JSON.stringify({ error: text }));
    } else {
      console.error(`error: ${text}`);
    }
  },
});

/** A failure that ends the verb with a message and an exit code. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = 2,
  ) {
    super(message);
  }
}

/** Exit codes: success, a job that did not finish cleanly, bad input. */
export const exitCodes = { ok: 0, jobNotClean: 1, badInput: 2 } as const;
