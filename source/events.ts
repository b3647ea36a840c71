/**
 * Progress events: what the executor and the runs emit, and what the wizard or the line
 * printer render. Plain data, so `--json` prints them one per line; and how a wait's durations
 * are written, the same in the log line and on the wizard's bar.
 */
import type {CheckResult, RunKind as JournaledRun, StepInfo} from './domain.js';

/** What a run shows itself as: its journal's kind, or a settle (journaled as its iteration's apply). */
export type RunKind = JournaledRun | 'settle';

export type RunEvent =
	| {
			type: 'run-start';
			run: RunKind;
			iteration: string;
			index: number;
			mode?: string;
			resumed: boolean;
			steps: Array<Pick<StepInfo, 'title'> & {name: string}>;
	  }
	| {type: 'step-start'; step: string; title: string; total: number}
	| {type: 'step-skip'; step: string; title: string; reason: string}
	| {type: 'action-start'; step: string; id: string; description: string}
	| {
			type: 'action-done';
			step: string;
			id: string;
			description: string;
			durationMs: number;
			already: boolean;
			done: number;
			total: number;
	  }
	| {type: 'action-failed'; step: string; id: string; description: string; error: string; hint?: string}
	| {type: 'step-done'; step: string; title: string; durationMs: number; summary: string}
	| {type: 'step-failed'; step: string; title: string; error: string; hint?: string}
	| {type: 'log'; level: 'info' | 'warn'; message: string}
	/**
	 * A wait begins that can take a minute or more with nothing else to show: a recreated
	 * service's first healthcheck (`waitsFor`), due in about `aboutMs` and given up on after
	 * `mostMs`. Several may be under way at once (recreates run side by side); each ends in a
	 * `wait-done` for its service. The `log` line that says the same comes first, for the printer.
	 */
	| {type: 'wait-start'; service: string; waitsFor: string; aboutMs: number; mostMs: number}
	/** The wait ends: `ok` when the service came up healthy (or was judged to stand), not when the recreate failed. */
	| {type: 'wait-done'; service: string; ok: boolean}
	| {type: 'check'; result: CheckResult}
	| {type: 'run-done'; run: RunKind; iteration: string; durationMs: number; report?: string; summary: string}
	| {type: 'run-stopped'; run: RunKind; iteration: string; message: string};

export type Emit = (event: RunEvent) => void;

/**
 * A wait's durations as a compose file writes a healthcheck's interval (`15s`, `1m`, `1m30s`),
 * so the log line and the wizard's bar say them as the operator wrote them.
 */
export function waitDuration(ms: number): string {
	const seconds = Math.round(ms / 1000);
	return seconds >= 60 ? `${Math.floor(seconds / 60)}m${seconds % 60 ? `${seconds % 60}s` : ''}` : `${seconds}s`;
}
