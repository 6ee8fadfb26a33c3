// How many kill moments the crash tests try: 20 by default (each a
// different operation of the run), or ROTOR_CRASH_REPEATS.

/** The default number of kill-and-resume repetitions per store. */
export const defaultCrashRepeats = 20;

/** `ROTOR_CRASH_REPEATS` when it is a positive integer, else the default. */
export const crashRepeats = (): number => {
  const wanted = Number(process.env['ROTOR_CRASH_REPEATS']);

  return Number.isInteger(wanted) && wanted > 0 ? wanted : defaultCrashRepeats;
};
