/**
 * Progress events: what the executor and the runs emit, and what the wizard or the line
 * printer render. Plain data, so `--json` prints them one per line.
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
	| {type: 'check'; result: CheckResult}
	| {type: 'run-done'; run: RunKind; iteration: string; durationMs: number; report?: string; summary: string}
	| {type: 'run-stopped'; run: RunKind; iteration: string; message: string};

export type Emit = (event: RunEvent) => void;
