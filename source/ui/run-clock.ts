/**
 * The run screen's one clock. While a run is going, a single tick (three a second) moves the spinner and
 * the elapsed time and lets in the run's events that arrived since the last one, so a run draws
 * at most three frames a second however fast its actions go (a frame per event cost 2.4× the
 * bytes over SSH: bench/frames-run.ts), while keys and screen changes draw at once.
 */
import {createContext} from 'react';

export const tickMs = 333;

/** The time of the last tick; undefined outside a run (a step line then ticks on its own). */
export const RunClock = createContext<number | undefined>(undefined);
