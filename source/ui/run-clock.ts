/**
 * The run screen's one clock. While a run is going, a single tick (three a second) moves the spinner and
 * the elapsed time and lets in the run's events that arrived since the last one, so a run draws
 * at most three frames a second however fast its actions go (a frame per event cost 2.4× the
 * bytes over SSH: bench/frames-run.ts), while keys and screen changes draw at once.
 */
import {createContext, useContext, useEffect, useState} from 'react';

export const tickMs = 333;

/** The time of the last tick; undefined outside a run (a spinner or a bar then ticks on its own: useNow). */
export const RunClock = createContext<number | undefined>(undefined);

/**
 * The time a moving part (a spinner, a wait's bar) draws with: `given` (a test's fixed time),
 * else the run's clock, else — drawn outside a run — a tick of its own at the same pace. That
 * tick is cleared when the part unmounts, and unref'd: a part left mounted never keeps the
 * process alive on its own.
 */
export function useNow(given?: number): number {
	const clock = useContext(RunClock);
	const [own, setOwn] = useState(Date.now);
	const ticking = given === undefined && clock === undefined;
	useEffect(() => {
		if (!ticking) return;
		const timer = setInterval(() => setOwn(Date.now()), tickMs);
		timer.unref();
		return () => clearInterval(timer);
	}, [ticking]);
	return given ?? clock ?? own;
}
