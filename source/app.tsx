/**
 * The wizard shell: which screen is showing, the calls into the core, the keys every screen
 * shares (Ctrl-C, `?`, `q` at home). Screens are presentational (source/ui/Screens.tsx maps a
 * screen to its component); runs, gates and Ctrl-C during a run live in source/ui/use-runs.ts.
 * Everything that touches the host goes through `core` (the same runs the headless commands
 * use), so the UI never calls Docker.
 */
import {Box, Text, useApp} from 'ink';
import {useCallback, useEffect, useRef, useState} from 'react';
import {formatError} from './errors.js';
import type {Mode} from './domain.js';
import type {SettleResult} from './run.js';
import type {Overview} from './session.js';
import {HelpScreen} from './ui/HelpScreen.js';
import {followChoice} from './ui/home-choice.js';
import type {HomeChoice} from './ui/HomeScreen.js';
import {ScreenKeys} from './ui/input.js';
import {RunClock} from './ui/run-clock.js';
import type {FailureChoice} from './ui/RunScreen.js';
import {helpTopic, ScreenView, type Screen} from './ui/Screens.js';
import {glyphs, tone} from './ui/theme.js';
import {isTooSmall, TooSmall} from './ui/TooSmall.js';
import {useRuns} from './ui/use-runs.js';
import {useSharedKeys, type Hangups} from './ui/use-shared-keys.js';
import type {Core} from './ui/core-api.js';
import {useTerminalSize} from './ui/use-terminal-size.js';

export type {Core} from './ui/core-api.js';

export type WizardProps = {
	core: Core;
	planFile: string;
	host: string;
	mode?: Mode;
	yes: boolean;
	onExit: (code: number, message?: string) => void;
	/** The terminal hanging up (a dropped SSH link): handled as the first Ctrl-C. */
	hangups?: Hangups;
};

const reading = () => ({name: 'loading' as const, message: `Reading the stack and the plan${glyphs().ellipsis}`});
const errorScreen = (error: unknown): Screen => ({name: 'error', message: formatError(error)});

/**
 * The home screen, read on mount and on every return to it. A plan that is not there, with
 * stacks netmigrate has run in elsewhere on this host, offers those instead of an error.
 */
function useHome(core: Core, planFile: string, host: string) {
	const [screen, setScreen] = useState<Screen>(reading);
	const rootRef = useRef<string | undefined>(undefined);
	const goHome = useCallback(
		async (fromScreen = true) => {
			// On mount the loading screen is already showing: another render would only cost a frame.
			if (fromScreen) setScreen(reading());
			try {
				const overview = await core.loadOverview(planFile, host);
				rootRef.current = overview.root;
				setScreen({name: 'home', overview});
			} catch (error) {
				const stacks = await core.recentStacks(planFile).catch(() => []);
				setScreen(stacks.length > 0 ? {name: 'stacks', planFile, stacks} : errorScreen(error));
			}
		},
		[core, planFile, host],
	);
	useEffect(() => {
		void goHome(false);
	}, [goHome]);
	return {screen, setScreen, rootRef, goHome};
}

/** What a settle did, for the screen after it. */
function settledLines(result: SettleResult): string[] {
	if (result.nothingToDo) return ['Nothing to settle: every container runs the definition its compose files give.'];
	return [
		...result.recreated.map(
			(item) => `${item.services.join(' → ')}: recreated and healthy in ${(item.durationMs / 1000).toFixed(1)} s`,
		),
		'',
		'`docker compose up -d` now has nothing to recreate.',
	];
}

export function App({core, planFile: startPlan, host, mode, yes, onExit, hangups}: WizardProps) {
	const {exit} = useApp();
	// The plan given, or one picked on the stacks screen.
	const [planFile, setPlanFile] = useState(startPlan);
	const size = useTerminalSize();
	const {screen, setScreen, rootRef, goHome} = useHome(core, planFile, host);
	const leave = useCallback((code: number, message?: string) => (onExit(code, message), exit()), [exit, onExit]);
	const showError = (error: unknown) => setScreen(errorScreen(error));

	const runs = useRuns({
		core,
		planFile,
		host,
		...(mode ? {mode} : {}),
		yes,
		leave,
		showRun: () => setScreen({name: 'run'}),
		onApplied: (summary) => setScreen({name: 'done', summary}),
		onRolledBack: (result) => setScreen({name: 'rollback-done', result}),
		onSettled: (result) =>
			setScreen({
				name: 'text',
				title: `Settled after iteration ${result.index + 1} (${result.iteration})`,
				lines: settledLines(result),
			}),
	});

	const {overlay, closeOverlay, quit} = useSharedKeys(runs, leave, hangups);

	const openRollbackPreview = async () => {
		try {
			setScreen({name: 'rollback-preview', preview: await core.previewRollback(planFile)});
		} catch (error) {
			showError(error);
		}
	};

	const choose = async (overview: Overview, choice: HomeChoice) => {
		try {
			await followChoice(
				{
					core,
					planFile,
					host,
					...(mode ? {mode} : {}),
					setScreen,
					startApply: runs.startApply,
					startSettle: runs.startSettle,
					openRollbackPreview,
					quit,
				},
				overview,
				choice,
			);
		} catch (error) {
			showError(error);
		}
	};

	const onFailure = (choice: FailureChoice) => {
		if (choice === 'retry') void runs.startApply(runs.view.run === 'apply' ? runs.view.index : undefined);
		else if (choice === 'rollback') void openRollbackPreview();
		else leave(1, 'Quit with the state kept; run `netmigrate` again to resume or roll back.');
	};

	const tooSmall = isTooSmall(size);
	// One row short of the terminal: a frame as tall as the terminal scrolls it by a line when Ink
	// writes its last newline, and every later frame is then erased one line off (seen in tmux: a
	// step listed twice, the header's iteration name gone).
	const screenSize = {columns: size.columns, rows: size.rows - 1};
	const actions = {
		goHome: () => void goHome(),
		choose: (overview: Overview, choice: HomeChoice) => void choose(overview, choice),
		onFailure,
		leave,
		openPlan: setPlanFile,
	};
	return (
		<Box flexDirection="column">
			{tooSmall ? <TooSmall {...size} /> : null}
			{overlay === 'help' && !tooSmall ? (
				<HelpScreen topic={helpTopic(screen, runs)} width={size.columns} onClose={closeOverlay} />
			) : null}
			{overlay === 'quit' ? (
				<Text color={tone('warn')}>A run is in progress. Stop it after the current action and quit? (y/n)</Text>
			) : null}
			{/* The screen stays mounted under an overlay or while the terminal is too small (its scroll, selection and run survive) but hidden and deaf. */}
			<ScreenKeys.Provider value={overlay === undefined && !tooSmall}>
				<Box display={overlay === 'help' || tooSmall ? 'none' : 'flex'} flexDirection="column">
					<RunClock.Provider value={runs.clock}>
						<ScreenView
							screen={screen}
							runs={runs}
							{...(rootRef.current ? {root: rootRef.current} : {})}
							size={screenSize}
							actions={actions}
						/>
					</RunClock.Provider>
				</Box>
			</ScreenKeys.Provider>
		</Box>
	);
}
