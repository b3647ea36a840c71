/**
 * The run screen's state, folded from RunEvents by a pure reducer (tested without a terminal):
 * the steps, the action under way, the log's tail, and the waits in progress (a recreated
 * service's first healthcheck, several at once when recreates run side by side).
 */
import type {RunEvent, RunKind} from '../events.js';
import type {CheckResult} from '../domain.js';
import {glyphs, symbols} from './theme.js';

export type StepView = {
	name: string;
	title: string;
	status: 'pending' | 'running' | 'done' | 'failed' | 'skipped';
	startedAt?: number;
	durationMs?: number;
	done: number;
	total: number;
	summary?: string;
	error?: string;
	hint?: string;
};

/** A wait in progress, from its wait-start: `startedAt` is when the event arrived, so the bar counts from there. */
export type WaitView = {service: string; waitsFor: string; aboutMs: number; mostMs: number; startedAt: number};

export type RunView = {
	run: RunKind;
	iteration: string;
	index: number;
	resumed: boolean;
	steps: StepView[];
	current?: string;
	/** In the order they began; each gone at its wait-done, all gone when the run ends. */
	waits: WaitView[];
	log: string[];
	checks: CheckResult[];
	finished?: {durationMs: number; summary: string; report?: string};
	stopped?: string;
	failed?: {step: string; error: string; hint?: string};
};

export function initialRunView(run: RunKind, steps: Array<{name: string; title: string}>, iteration = '', index = 0): RunView {
	return {
		run,
		iteration,
		index,
		resumed: false,
		steps: steps.map((step) => ({...step, status: 'pending', done: 0, total: 0})),
		waits: [],
		log: [],
		checks: [],
	};
}

const logLimit = 50;

export function reduceRun(view: RunView, event: RunEvent, now = Date.now()): RunView {
	const step = (name: string, change: (item: StepView) => StepView): StepView[] => {
		const known = view.steps.some((item) => item.name === name);
		const steps = known ? view.steps : [...view.steps, {name, title: name, status: 'pending' as const, done: 0, total: 0}];
		return steps.map((item) => (item.name === name ? change(item) : item));
	};
	const log = (line: string) => [...view.log, line].slice(-logLimit);
	switch (event.type) {
		case 'run-start':
			// The run names its steps; a resumed run's view starts from them too.
			return {
				...view,
				run: event.run,
				iteration: event.iteration,
				index: event.index,
				resumed: event.resumed,
				...(event.steps.length > 0 ? {steps: initialRunView(event.run, event.steps).steps} : {}),
			};
		case 'step-start':
			return {
				...view,
				steps: step(event.step, (item) => ({
					...item,
					title: event.title,
					status: 'running',
					startedAt: now,
					total: event.total,
					done: 0,
				})),
			};
		case 'step-skip':
			return {...view, steps: step(event.step, (item) => ({...item, title: event.title, status: 'skipped', summary: event.reason}))};
		case 'action-start':
			return {...view, current: event.description};
		case 'action-done':
			return {
				...view,
				current: undefined,
				steps: step(event.step, (item) => ({...item, done: event.done, total: event.total})),
				log: log(
					`${event.already ? '=' : symbols.done} ${event.description}${event.already ? ' (already done)' : ` ${event.durationMs} ms`}`,
				),
			};
		case 'action-failed':
			return {...view, current: undefined, log: log(`${symbols.failed} ${event.description}: ${event.error}`)};
		case 'step-done':
			return {
				...view,
				steps: step(event.step, (item) => ({...item, status: 'done', durationMs: event.durationMs, summary: event.summary})),
			};
		case 'step-failed':
			return {
				...view,
				failed: {step: event.step, error: event.error, ...(event.hint ? {hint: event.hint} : {})},
				steps: step(event.step, (item) => ({
					...item,
					title: event.title,
					status: 'failed',
					error: event.error,
					...(event.hint ? {hint: event.hint} : {}),
				})),
			};
		case 'log':
			return {...view, log: log(`${event.level === 'warn' ? '! ' : ''}${event.message}`)};
		case 'wait-start': {
			const {service, waitsFor, aboutMs, mostMs} = event;
			const others = view.waits.filter((wait) => wait.service !== service);
			return {...view, waits: [...others, {service, waitsFor, aboutMs, mostMs, startedAt: now}]};
		}
		case 'wait-done':
			return {...view, waits: view.waits.filter((wait) => wait.service !== event.service)};
		case 'check':
			return {
				...view,
				checks: [...view.checks, event.result],
				log: log(
					`${event.result.ok ? symbols.done : symbols.failed} ${event.result.from} ${glyphs().arrow} ${event.result.to}${event.result.via ? ` via ${event.result.via}` : ''}: ${event.result.outcome}`,
				),
			};
		case 'run-done':
			return {
				...view,
				current: undefined,
				waits: [],
				finished: {durationMs: event.durationMs, summary: event.summary, ...(event.report ? {report: event.report} : {})},
			};
		case 'run-stopped':
			return {...view, current: undefined, waits: [], stopped: event.message};
	}
}
