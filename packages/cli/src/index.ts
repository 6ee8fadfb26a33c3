/**
 * The `rotor` command, as a library: build the program, or run it on an
 * argument list.
 *
 * @packageDocumentation
 */

export { buildProgram, main } from './program.js';
