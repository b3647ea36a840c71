/**
 * The wizard shell: which screen is showing, the calls into the core, the confirmation gates,
 * Ctrl-C. Screens are presentational; everything that touches the host goes through `core`
 * (the same runs the headless commands use), so the UI never calls Docker.
 */
import {Box, Text, useApp, useInput} from 'ink';
import {useCallback, useEffect, useReducer, useRef, useState} from 'react';
import {describe, type Action} from './actions.js';
import {formatError, NetmigrateError} from './errors.js';
import type {RunEvent} from './events.js';
import type {ApplyResult, RollbackPreview, RollbackResult, RunOptions} from './run.js';
import type {Overview, Review} from './session.js';
import type {CheckResult, HealthResult, Mode} from './domain.js';
import {ChecksScreen} from './ui/ChecksScreen.js';
import {DoneScreen, RollbackDoneScreen, type ApplySummary} from './ui/DoneScreen.js';
import {HomeScreen, interruptedIteration, type HomeChoice} from './ui/HomeScreen.js';
import {KeyHints} from './ui/KeyHints.js';
import {ReviewScreen} from './ui/ReviewScreen.js';
import {initialRunView, reduceRun, type RunView} from './ui/run-state.js';
import {RunScreen, type FailureChoice, type Gate} from './ui/RunScreen.js';
import {TextScreen} from './ui/TextScreen.js';
import {symbols, tone} from './ui/theme.js';
import {useTerminalSize} from './ui/use-terminal-size.js';

export type Core = {
	loadOverview: (planFile: string, host: string) => Promise<Overview>;
	loadReview: (planFile: string, host: string, index: number, mode?: Mode) => Promise<Review>;
	applyIteration: (options: RunOptions) => Promise<ApplyResult>;
	rollbackIteration: (options: RunOptions) => Promise<RollbackResult>;
	previewRollback: (planFile: string, iteration?: number) => Promise<RollbackPreview>;
	checksOnly: (planFile: string, host: string, index: number) => Promise<{checks: CheckResult[]; health: HealthResult[]}>;
	journalLines: (planFile: string) => Promise<string[]>;
	readText: (file: string) => Promise<string>;
};

export type WizardProps = {core: Core; planFile: string; host: string; mode?: Mode; yes: boolean; onExit: (code: number, message?: string) => void};

type Screen =
	| {name: 'loading'; message: string}
	| {name: 'home'; overview: Overview}
	| {name: 'review'; review: Review; root: string}
	| {name: 'run'}
	| {name: 'checks'; title: string; checks: CheckResult[]; health: HealthResult[]}
	| {name: 'done'; summary: ApplySummary}
	| {name: 'rollback-preview'; preview: RollbackPreview}
	| {name: 'rollback-done'; result: RollbackResult}
	| {name: 'text'; title: string; lines: string[]}
	| {name: 'error'; message: string};

type RunAction = {type: 'event'; event: RunEvent} | {type: 'reset'; view: RunView};

function runReducer(view: RunView, action: RunAction): RunView {
	return action.type === 'reset' ? action.view : reduceRun(view, action.event);
}

export function App({core, planFile, host, mode, yes, onExit}: WizardProps) {
	const {exit} = useApp();
	const {columns, rows} = useTerminalSize();
	const [screen, setScreen] = useState<Screen>({name: 'loading', message: 'Reading the stack and the plan…'});
	const [view, dispatch] = useReducer(runReducer, initialRunView('apply', []));
	const [gate, setGate] = useState<(Gate & {answer: (go: boolean) => void}) | undefined>();
	const [stopping, setStopping] = useState(false);
	const stopRef = useRef(false);
	const runningRef = useRef(false);
	const rootRef = useRef<string | undefined>(undefined);
	/** Whether the run itself reported its failure (a step-failed event); if not, the error came before any step. */
	const reportedFailure = useRef(false);

	const leave = useCallback(
		(code: number, message?: string) => {
			onExit(code, message);
			exit();
		},
		[exit, onExit],
	);

	const showError = (error: unknown) => setScreen({name: 'error', message: formatError(error)});

	const goHome = useCallback(async () => {
		setScreen({name: 'loading', message: 'Reading the stack and the plan…'});
		try {
			const overview = await core.loadOverview(planFile, host);
			rootRef.current = overview.root;
			setScreen({name: 'home', overview});
		} catch (error) {
			showError(error);
		}
	}, [core, planFile, host]);

	useEffect(() => {
		void goHome();
	}, [goHome]);

	useInput((input, key) => {
		if (!(key.ctrl && input === 'c')) return;
		if (!runningRef.current) {
			leave(0);
			return;
		}
		if (stopRef.current) leave(130, 'Stopped at once. The journal has every action; run `netmigrate` again to resume or roll back.');
		stopRef.current = true;
		setStopping(true);
		gate?.answer(false);
	});

	const confirm = (step: {title: string}, actions: Action[]) =>
		new Promise<boolean>((resolve) => {
			setGate({
				title: step.title,
				actions: actions.map((action) => describe(action, rootRef.current)),
				answer: (go) => {
					setGate(undefined);
					resolve(go);
				},
			});
		});

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
		setScreen({name: 'run'});
		runningRef.current = true;
		try {
			const result = await core.applyIteration({...runOptions(), ...(index === undefined ? {} : {iteration: index + 1})});
			runningRef.current = false;
			setScreen({name: 'done', summary: result});
		} catch (error) {
			runningRef.current = false;
			if (stopRef.current || (error instanceof Error && error.name === 'StopRequested')) {
				leave(1, `Stopped; progress is saved. Run \`netmigrate\` again to resume, or \`netmigrate rollback\`.`);
				return;
			}
			if (!reportedFailure.current) dispatch({type: 'event', event: {type: 'step-failed', step: 'run', title: 'Run', error: error instanceof Error ? error.message : String(error), ...(error instanceof NetmigrateError && error.hint ? {hint: error.hint} : {})}});
		}
	};

	const startRollback = async (index?: number) => {
		dispatch({type: 'reset', view: {...initialRunView('rollback', [{name: 'rollback', title: 'Roll back'}, {name: 'verify', title: 'Verify against the backup snapshot'}]), index: index ?? 0}});
		setScreen({name: 'run'});
		runningRef.current = true;
		try {
			const result = await core.rollbackIteration({...runOptions(), ...(index === undefined ? {} : {iteration: index + 1}), confirm: undefined});
			runningRef.current = false;
			setScreen({name: 'rollback-done', result});
		} catch (error) {
			runningRef.current = false;
			if (stopRef.current) {
				leave(1, 'Stopped during the rollback; run `netmigrate rollback` (or the wizard) again to finish it.');
				return;
			}
			dispatch({type: 'event', event: {type: 'step-failed', step: 'rollback', title: 'Roll back', error: error instanceof Error ? error.message : String(error), ...(error instanceof NetmigrateError && error.hint ? {hint: error.hint} : {})}});
		}
	};

	const openRollbackPreview = async () => {
		try {
			setScreen({name: 'rollback-preview', preview: await core.previewRollback(planFile)});
		} catch (error) {
			showError(error);
		}
	};

	const choose = async (overview: Overview, choice: HomeChoice) => {
		try {
			switch (choice) {
				case 'start':
				case 'review': {
					const index = overview.next >= 0 ? overview.next : overview.status.iterations.length - 1;
					setScreen({name: 'loading', message: `Planning iteration ${index + 1}…`});
					setScreen({name: 'review', review: await core.loadReview(planFile, host, index, mode), root: overview.root});
					return;
				}
				case 'resume':
					await startApply(interruptedIteration(overview)?.index);
					return;
				case 'checks': {
					const applied = overview.status.iterations.filter((iteration) => iteration.status === 'done');
					const index = applied.at(-1)?.index ?? Math.max(0, overview.next);
					setScreen({name: 'loading', message: 'Running the checks…'});
					const result = await core.checksOnly(planFile, host, index);
					setScreen({name: 'checks', title: `Checks of iteration ${index + 1}: ${overview.status.iterations[index]?.name ?? ''}`, ...result});
					return;
				}
				case 'rollback':
					await openRollbackPreview();
					return;
				case 'journal':
					setScreen({name: 'text', title: 'Journal (newest last)', lines: await core.journalLines(planFile)});
					return;
				case 'report':
					if (overview.lastReport) setScreen({name: 'text', title: overview.lastReport, lines: (await core.readText(overview.lastReport)).split('\n')});
					return;
				case 'quit':
					leave(0);
			}
		} catch (error) {
			showError(error);
		}
	};

	const onFailure = (choice: FailureChoice) => {
		if (choice === 'retry') void startApply(view.run === 'apply' ? view.index : undefined);
		else if (choice === 'rollback') void openRollbackPreview();
		else leave(1, 'Quit with the state kept; run `netmigrate` again to resume or roll back.');
	};

	const body = () => {
		switch (screen.name) {
			case 'loading':
				return <Text color={tone('muted')}>{screen.message}</Text>;
			case 'home':
				return <HomeScreen overview={screen.overview} width={columns} onChoose={(choice) => void choose(screen.overview, choice)} />;
			case 'review':
				return <ReviewScreen review={screen.review} root={screen.root} width={columns} height={rows} onBack={() => void goHome()} onConfirm={() => void startApply(screen.review.index)} />;
			case 'run':
				return (
					<RunScreen
						view={view}
						width={columns}
						height={rows}
						stopping={stopping}
						{...(gate ? {gate} : {})}
						onGate={(go) => gate?.answer(go)}
						onFailure={view.run === 'rollback' ? (choice) => (choice === 'quit' ? leave(1, 'Quit with the rollback unfinished; run `netmigrate rollback` to finish it.') : void startRollback(view.index)) : onFailure}
					/>
				);
			case 'checks':
				return <ChecksScreen title={screen.title} checks={screen.checks} health={screen.health} width={columns} height={rows} onBack={() => void goHome()} />;
			case 'done':
				return <DoneScreen summary={screen.summary} {...(rootRef.current ? {root: rootRef.current} : {})} width={columns} onHome={() => void goHome()} />;
			case 'rollback-preview':
				return screen.preview.nothingToDo ? (
					<TextScreen title="Roll back" lines={['Nothing to roll back: no iteration has changed the stack.']} width={columns} height={rows} onBack={() => void goHome()} />
				) : (
					<TextScreen
						title={`Roll back iteration ${screen.preview.index + 1} (${screen.preview.iteration}): ${screen.preview.actions.length} inverse actions`}
						lines={screen.preview.actions.map((action) => describe(action, rootRef.current))}
						width={columns}
						height={rows}
						confirmLabel="roll back"
						onConfirm={() => void startRollback(screen.preview.index)}
						onBack={() => void goHome()}
					/>
				);
			case 'rollback-done':
				return <RollbackDoneScreen result={screen.result} onHome={() => void goHome()} />;
			case 'text':
				return <TextScreen title={screen.title} lines={screen.lines} width={columns} height={rows} onBack={() => void goHome()} />;
			case 'error':
				return <ErrorScreen message={screen.message} onBack={() => void goHome()} onQuit={() => leave(2, screen.message)} />;
		}
	};
	return <Box flexDirection="column">{body()}</Box>;
}

function ErrorScreen({message, onBack, onQuit}: {message: string; onBack: () => void; onQuit: () => void}) {
	useInput((input, key) => {
		if (input === 'q') onQuit();
		else if (key.return || key.escape) onBack();
	});
	return (
		<Box flexDirection="column">
			<Box borderStyle="round" borderColor={tone('fail')} paddingX={1} flexDirection="column">
				{message.split('\n').map((line, index) => (
					<Text key={index} color={index === 0 ? tone('fail') : undefined} wrap="wrap">{index === 0 ? `${symbols.failed} ${line.replace(/^error: /, '')}` : line}</Text>
				))}
			</Box>
			<KeyHints hints={[['Enter', 'home'], ['q', 'quit']]} />
		</Box>
	);
}
