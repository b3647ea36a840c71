/**
 * The keys every screen shares: Ctrl-C (see use-runs), `?` for the keys of the current screen,
 * and quitting — `q` at home quits at once, as in less or k9s, unless a run is going: then it
 * asks, and y stops the run after the current action as Ctrl-C does. A hang-up is handled here
 * too, as the one signal that is not a key.
 */
import {useInput} from 'ink';
import {useEffect, useRef, useState} from 'react';

export type Overlay = 'help' | 'quit' | undefined;

/** Subscribes to the terminal hanging up (SIGHUP); returns the unsubscribe. */
export type Hangups = (listener: () => void) => () => void;

type Runs = {running: () => boolean; interrupt: () => void; hangup: () => void};

export function useSharedKeys(runs: Runs, leave: (code: number) => void, hangups?: Hangups) {
	const [overlay, setOverlay] = useState<Overlay>();
	const latest = useRef(runs);
	latest.current = runs;
	useEffect(() => hangups?.(() => latest.current.hangup()), [hangups]);

	const quit = () => (runs.running() ? setOverlay('quit') : leave(0));

	const answerQuit = (input: string) => {
		if (input === 'y') {
			setOverlay(undefined);
			runs.interrupt();
		} else if (input === 'n' || input === 'q') setOverlay(undefined);
	};

	useInput((input, key) => {
		if (key.ctrl && input === 'c') runs.interrupt();
		else if (overlay === 'quit') answerQuit(input);
		else if (input === '?' && overlay === undefined) setOverlay('help');
	});

	return {overlay, quit, closeOverlay: () => setOverlay(undefined)};
}
