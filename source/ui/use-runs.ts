/**
 * The wizard's runs: an apply or a rollback through the core, its progress folded into the run
 * screen's view, the gate before each step that changes the host, and Ctrl-C (the first stops
 * after the current action, the second leaves at once; the journal keeps it safe).
 */
import {useEffect, useReducer, useRef, useState} from 'react';
import {NetmigrateError} from '../errors.js';
import type {RunEvent} from '../events.js';
import type {WizardRunOptions} from '../core.js';
import type {ApplyResult, RollbackResult, SettleResult} from '../run.js';
import type {Mode} from '../domain.js';
import type {SavedPlan} from '../plan/saved.js';
import {tickMs} from './run-clock.js';
import {initialRunView, reduceRun, type RunView} from './run-state.js';
import type {Gate} from './RunScreen.js';

type Arrived = {event: RunEvent; at: number};
/** The run's view and its clock in one state: a tick that moves both is one render, so one frame (Ink's root batches nothing outside its own handlers). */
type Feed = {view: RunView; clock?: number};
type FeedAction = {type: 'tick'; events: Arrived[]; clock?: number} | {type: 'reset'; view: RunView; clock?: number};

function feedReducer(feed: Feed, action: FeedAction): Feed {
	const view = action.type === 'reset' ? action.view : action.events.reduce((next, {event, at}) => reduceRun(next, event, at), feed.view);
	return {
		view,
		...('clock' in action
			? action.clock === undefined
				? {}
				: {clock: action.clock}
			: feed.clock === undefined
				? {}
				: {clock: feed.clock}),
	};
}

/** Events the operator must see at once; the rest wait for the next tick of the run's clock. */
const atOnce = new Set<RunEvent['type']>(['run-start', 'step-failed', 'run-done']);

/**
 * The run's events, let into the view on the clock's tick (source/ui/run-clock.ts) together
 * with the spinner's move: one frame per tick however many actions finished in it.
 */
function useRunFeed() {
	const [feed, dispatch] = useReducer(feedReducer, {view: initialRunView('apply', [])});
	const queue = useRef<Arrived[]>([]);
	const take = () => queue.current.splice(0);
	const flush = () => {
		if (queue.current.length > 0) dispatch({type: 'tick', events: take()});
	};
	const ticking = feed.clock !== undefined;
	useEffect(() => {
		if (!ticking) return;
		const timer = setInterval(() => dispatch({type: 'tick', events: take(), clock: Date.now()}), tickMs);
		return () => clearInterval(timer);
	}, [ticking]);
	const push = (event: RunEvent) => {
		queue.current.push({event, at: Date.now()});
		if (atOnce.has(event.type)) flush();
	};
	const start = (view: RunView) => {
		queue.current = [];
		dispatch({type: 'reset', view, clock: Date.now()});
	};
	const stop = () => dispatch({type: 'tick', events: take(), clock: undefined});
	return {view: feed.view, clock: feed.clock, push, flush, start, stop};
}

export type RunCore = {
	applyIteration: (options: WizardRunOptions) => Promise<ApplyResult>;
	rollbackIteration: (options: WizardRunOptions) => Promise<RollbackResult>;
	settleStack: (options: WizardRunOptions) => Promise<SettleResult>;
};

export type RunSettings = {
	core: RunCore;
	planFile: string;
	host: string;
	mode?: Mode;
	yes: boolean;
	leave: (code: number, message?: string) => void;
	showRun: () => void;
	onApplied: (result: ApplyResult) => void;
	onRolledBack: (result: RollbackResult) => void;
	onSettled: (result: SettleResult) => void;
};

const failedEvent = (step: string, title: string, error: unknown): RunEvent => ({
	type: 'step-failed',
	step,
	title,
	error: error instanceof Error ? error.message : String(error),
	...(error instanceof NetmigrateError && error.hint ? {hint: error.hint} : {}),
});

/** The gate before a step that changes the host: the run waits on `confirm` until the operator answers; `lines`, its actions described. */
function useGate(flush: () => void) {
	const [gate, setGate] = useState<(Gate & {answer: (go: boolean) => void}) | undefined>();
	const confirm = (step: {title: string}, lines: string[]) =>
		new Promise<boolean>((resolve) => {
			flush();
			const answer = (go: boolean) => {
				setGate(undefined);
				resolve(go);
			};
			setGate({title: step.title, actions: lines, answer});
		});
	return {gate, confirm};
}

/** Ctrl-C and a hang-up: both stop a run after its current action; only a second Ctrl-C leaves at once. */
function useStopping(
	stopRef: {current: boolean},
	runningRef: {current: boolean},
	leave: RunSettings['leave'],
	gate: {answer: (go: boolean) => void} | undefined,
) {
	const [stopping, setStopping] = useState(false);
	/** The first Ctrl-C, and a hang-up: the run stops after its current action. */
	const stopAfterAction = () => {
		stopRef.current = true;
		setStopping(true);
		gate?.answer(false);
	};

	/** Ctrl-C: with no run, leave; the first during a run stops after the current action; the second leaves now. */
	const interrupt = () => {
		if (!runningRef.current) leave(0);
		else if (stopRef.current)
			leave(130, 'Stopped at once. The journal has every action; run `netmigrate` again to resume or roll back.');
		else stopAfterAction();
	};

	/**
	 * A dropped link (SIGHUP: the SSH session or the tmux client went away) is the first Ctrl-C,
	 * never the second: the current action finishes, the journal and progress are saved, the lock
	 * is released, and the next `netmigrate` offers to resume. With no run going, leave now.
	 */
	const hangup = () => {
		if (runningRef.current) stopAfterAction();
		else leave(129, 'The terminal went away; nothing was running.');
	};

	return {stopping, interrupt, hangup};
}

export function useRuns(settings: RunSettings) {
	const {core, planFile, host, mode, yes, leave} = settings;
	const feed = useRunFeed();
	const {gate, confirm} = useGate(feed.flush);
	const stopRef = useRef(false);
	const runningRef = useRef(false);
	/** Whether the run itself reported its failure (a step-failed event); if not, the error came before any step. */
	const reportedFailure = useRef(false);

	const runOptions = (): WizardRunOptions => ({
		planFile,
		host,
		...(mode ? {mode} : {}),
		emit: (event) => {
			if (event.type === 'step-failed') reportedFailure.current = true;
			feed.push(event);
		},
		...(yes ? {} : {confirm}),
		stopRequested: () => stopRef.current,
	});

	/** One run on the screen: the view reset, the clock going while it runs, how it ends told apart. */
	const track = async <T>(fresh: RunView, call: () => Promise<T>, done: (result: T) => void, failed: (error: unknown) => void) => {
		reportedFailure.current = false;
		feed.start(fresh);
		settings.showRun();
		runningRef.current = true;
		let result: T;
		try {
			result = await call();
		} catch (error) {
			runningRef.current = false;
			feed.stop();
			failed(error);
			return;
		}
		runningRef.current = false;
		feed.stop();
		done(result);
	};

	const iterationOption = (index?: number) => (index === undefined ? {} : {iteration: index + 1});

	/** `reviewed`: the plan the review showed, which the apply runs exactly or refuses (source/runs/reviewed.ts). */
	const startApply = (index?: number, reviewed?: SavedPlan) =>
		track(
			initialRunView('apply', [], '', index ?? 0),
			() => core.applyIteration({...runOptions(), ...iterationOption(index), ...(reviewed ? {reviewed: {plan: reviewed}} : {})}),
			settings.onApplied,
			(error) => {
				if (stopRef.current || (error instanceof Error && error.name === 'StopRequested'))
					leave(1, 'Stopped; progress is saved. Run `netmigrate` again to resume, or `netmigrate rollback`.');
				else if (!reportedFailure.current) feed.push(failedEvent('run', 'Run', error));
			},
		);

	// Each run names its steps when it starts (run-start): the view starts empty, never from a copy of their titles.
	const startRollback = (index?: number) =>
		track(
			initialRunView('rollback', [], '', index ?? 0),
			() => core.rollbackIteration({...runOptions(), ...iterationOption(index), confirm: undefined}),
			settings.onRolledBack,
			(error) => {
				if (stopRef.current) leave(1, 'Stopped during the rollback; run `netmigrate rollback` (or the wizard) again to finish it.');
				else if (!reportedFailure.current) feed.push(failedEvent('rollback', 'Roll back', error));
			},
		);

	const startSettle = () =>
		track(
			initialRunView('settle', []),
			() => core.settleStack(runOptions()),
			settings.onSettled,
			(error) => {
				if (stopRef.current || (error instanceof Error && error.name === 'StopRequested'))
					leave(1, 'Stopped; the services recreated so far are settled. Run `netmigrate settle` again for the rest.');
				else if (!reportedFailure.current) feed.push(failedEvent('settle', 'Settle', error));
			},
		);

	const {stopping, interrupt, hangup} = useStopping(stopRef, runningRef, leave, gate);

	return {
		view: feed.view,
		clock: feed.clock,
		gate,
		stopping,
		running: () => runningRef.current,
		startApply,
		startRollback,
		startSettle,
		interrupt,
		hangup,
	};
}
