/**
 * The wizard's runs: an apply or a rollback through the core, its progress folded into the run
 * screen's view, the gate before each step that changes the host, and Ctrl-C (the first stops
 * after the current action, the second leaves at once; the journal keeps it safe).
 */
import {useReducer, useRef, useState} from 'react';
import {describe, type Action} from '../actions.js';
import {NetmigrateError} from '../errors.js';
import type {RunEvent} from '../events.js';
import type {ApplyResult, RollbackResult, RunOptions} from '../run.js';
import type {Mode} from '../domain.js';
import {initialRunView, reduceRun, type RunView} from './run-state.js';
import type {Gate} from './RunScreen.js';

type RunAction = {type: 'event'; event: RunEvent} | {type: 'reset'; view: RunView};

function runReducer(view: RunView, action: RunAction): RunView {
	return action.type === 'reset' ? action.view : reduceRun(view, action.event);
}

export type RunCore = {
	applyIteration: (options: RunOptions) => Promise<ApplyResult>;
	rollbackIteration: (options: RunOptions) => Promise<RollbackResult>;
};

export type RunSettings = {
	core: RunCore;
	planFile: string;
	host: string;
	mode?: Mode;
	yes: boolean;
	/** Where the stack lives, for action descriptions relative to it. */
	root: () => string | undefined;
	leave: (code: number, message?: string) => void;
	showRun: () => void;
	onApplied: (result: ApplyResult) => void;
	onRolledBack: (result: RollbackResult) => void;
};

const failedEvent = (step: string, title: string, error: unknown): RunEvent => ({type: 'step-failed', step, title, error: error instanceof Error ? error.message : String(error), ...(error instanceof NetmigrateError && error.hint ? {hint: error.hint} : {})});

/** The gate before a step that changes the host: the run waits on `confirm` until the operator answers. */
function useGate(root: () => string | undefined) {
	const [gate, setGate] = useState<(Gate & {answer: (go: boolean) => void}) | undefined>();
	const confirm = (step: {title: string}, actions: Action[]) =>
		new Promise<boolean>((resolve) => {
			const answer = (go: boolean) => {
				setGate(undefined);
				resolve(go);
			};
			setGate({title: step.title, actions: actions.map((action) => describe(action, root())), answer});
		});
	return {gate, confirm};
}

export function useRuns(settings: RunSettings) {
	const {core, planFile, host, mode, yes, leave} = settings;
	const [view, dispatch] = useReducer(runReducer, initialRunView('apply', []));
	const {gate, confirm} = useGate(settings.root);
	const [stopping, setStopping] = useState(false);
	const stopRef = useRef(false);
	const runningRef = useRef(false);
	/** Whether the run itself reported its failure (a step-failed event); if not, the error came before any step. */
	const reportedFailure = useRef(false);


	const runOptions = (): RunOptions => ({
		planFile,
		host,
		...(mode ? {mode} : {}),
		emit: (event) => {
			if (event.type === 'step-failed') reportedFailure.current = true;
			dispatch({type: 'event', event});
		},
		...(yes ? {} : {confirm}),
		stopRequested: () => stopRef.current,
	});

	const startApply = async (index?: number) => {
		reportedFailure.current = false;
		dispatch({type: 'reset', view: initialRunView('apply', [], '', index ?? 0)});
		settings.showRun();
		runningRef.current = true;
		try {
			const result = await core.applyIteration({...runOptions(), ...(index === undefined ? {} : {iteration: index + 1})});
			runningRef.current = false;
			settings.onApplied(result);
		} catch (error) {
			runningRef.current = false;
			if (stopRef.current || (error instanceof Error && error.name === 'StopRequested')) {
				leave(1, `Stopped; progress is saved. Run \`netmigrate\` again to resume, or \`netmigrate rollback\`.`);
				return;
			}
			if (!reportedFailure.current) dispatch({type: 'event', event: failedEvent('run', 'Run', error)});
		}
	};

	const startRollback = async (index?: number) => {
		dispatch({type: 'reset', view: {...initialRunView('rollback', [{name: 'rollback', title: 'Roll back'}, {name: 'verify', title: 'Verify against the backup snapshot'}]), index: index ?? 0}});
		settings.showRun();
		runningRef.current = true;
		try {
			const result = await core.rollbackIteration({...runOptions(), ...(index === undefined ? {} : {iteration: index + 1}), confirm: undefined});
			runningRef.current = false;
			settings.onRolledBack(result);
		} catch (error) {
			runningRef.current = false;
			if (stopRef.current) {
				leave(1, 'Stopped during the rollback; run `netmigrate rollback` (or the wizard) again to finish it.');
				return;
			}
			dispatch({type: 'event', event: failedEvent('rollback', 'Roll back', error)});
		}
	};

	/** Ctrl-C: with no run, leave; the first during a run stops after the current action; the second leaves now. */
	const interrupt = () => {
		if (!runningRef.current) {
			leave(0);
			return;
		}
		if (stopRef.current) leave(130, 'Stopped at once. The journal has every action; run `netmigrate` again to resume or roll back.');
		stopRef.current = true;
		setStopping(true);
		gate?.answer(false);
	};

	return {view, gate, stopping, running: () => runningRef.current, startApply, startRollback, interrupt};
}
