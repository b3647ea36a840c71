/**
 * Which screen the wizard shows, and drawing it: the shell (source/app.tsx) owns the state and
 * the calls into the core; this file only maps a screen to its component and its help topic.
 */
import {Text} from 'ink';
import type {DescribedRollbackPreview} from '../core.js';
import type {RollbackResult} from '../run.js';
import type {Overview, Review} from '../session.js';
import type {CheckResult, HealthResult} from '../domain.js';
import {ChecksScreen} from './ChecksScreen.js';
import {DoneScreen, RollbackDoneScreen, type ApplySummary} from './DoneScreen.js';
import type {HelpTopic} from './HelpScreen.js';
import {ErrorScreen} from './ErrorScreen.js';
import {HomeScreen, type HomeChoice} from './HomeScreen.js';
import {ReviewScreen} from './ReviewScreen.js';
import {RollbackPreviewScreen} from './RollbackPreviewScreen.js';
import {RunScreen, type FailureChoice} from './RunScreen.js';
import {StacksScreen} from './StacksScreen.js';
import {TextScreen} from './TextScreen.js';
import {VerifyScreen} from './VerifyScreen.js';
import type {ReachabilityMatrix} from '../plan/matrix.js';
import {tone} from './theme.js';
import type {useRuns} from './use-runs.js';
import type {KnownStack} from './core-api.js';

export type Screen =
	| {name: 'loading'; message: string}
	| {name: 'home'; overview: Overview}
	| {name: 'review'; review: Review}
	| {name: 'run'}
	| {name: 'checks'; title: string; checks: CheckResult[]; health: HealthResult[]}
	| {name: 'done'; summary: ApplySummary}
	| {name: 'rollback-preview'; preview: DescribedRollbackPreview}
	| {name: 'rollback-done'; result: RollbackResult}
	| {name: 'text'; title: string; lines: string[]}
	| {name: 'verify'; matrix: ReachabilityMatrix}
	| {name: 'error'; message: string}
	| {name: 'stacks'; planFile: string; stacks: KnownStack[]};

export type ScreenActions = {
	goHome: () => void;
	choose: (overview: Overview, choice: HomeChoice) => void;
	onFailure: (choice: FailureChoice) => void;
	leave: (code: number, message?: string) => void;
	/** Opens another stack's plan (picked on the stacks screen). */
	openPlan: (planFile: string) => void;
};

type Runs = ReturnType<typeof useRuns>;

export function helpTopic(screen: Screen, runs: Runs): HelpTopic {
	switch (screen.name) {
		case 'run':
			return runs.view.failed ? 'failure' : runs.gate ? 'gate' : 'run';
		case 'rollback-preview':
		case 'text':
		case 'checks':
		case 'verify':
			return 'page';
		case 'done':
		case 'rollback-done':
			return 'result';
		case 'stacks':
			return 'home';
		default:
			return screen.name;
	}
}

export function ScreenView({
	screen,
	runs,
	root,
	size,
	actions,
}: {
	screen: Screen;
	runs: Runs;
	root?: string;
	size: {columns: number; rows: number};
	actions: ScreenActions;
}) {
	const {columns, rows} = size;
	const home = actions.goHome;
	switch (screen.name) {
		case 'loading':
			return <Text color={tone('muted')}>{screen.message}</Text>;
		case 'home':
			return (
				<HomeScreen
					overview={screen.overview}
					width={columns}
					height={rows}
					onChoose={(choice) => actions.choose(screen.overview, choice)}
				/>
			);
		case 'review':
			return (
				<ReviewScreen
					review={screen.review}
					width={columns}
					height={rows}
					onBack={home}
					onConfirm={() => void runs.startApply(screen.review.index, screen.review.saved)}
				/>
			);
		case 'run':
			return (
				<RunScreen
					view={runs.view}
					width={columns}
					height={rows}
					stopping={runs.stopping}
					{...(runs.gate ? {gate: runs.gate} : {})}
					onGate={(go) => runs.gate?.answer(go)}
					onFailure={
						runs.view.run === 'rollback'
							? (choice) =>
									choice === 'quit'
										? actions.leave(1, 'Quit with the rollback unfinished; run `netmigrate rollback` to finish it.')
										: void runs.startRollback(runs.view.index)
							: actions.onFailure
					}
				/>
			);
		case 'checks':
			return (
				<ChecksScreen
					title={screen.title}
					checks={screen.checks}
					health={screen.health}
					width={columns}
					height={rows}
					onBack={home}
				/>
			);
		case 'done':
			return <DoneScreen summary={screen.summary} {...(root ? {root} : {})} width={columns} onHome={home} />;
		case 'rollback-preview':
			return (
				<RollbackPreviewScreen
					preview={screen.preview}
					actions={screen.preview.lines}
					width={columns}
					height={rows}
					onConfirm={() => void runs.startRollback(screen.preview.index)}
					onBack={home}
				/>
			);
		case 'rollback-done':
			return <RollbackDoneScreen result={screen.result} onHome={home} />;
		case 'text':
			return <TextScreen title={screen.title} lines={screen.lines} width={columns} height={rows} onBack={home} />;
		case 'verify':
			return <VerifyScreen matrix={screen.matrix} width={columns} height={rows} onBack={home} />;
		case 'stacks':
			return (
				<StacksScreen
					planFile={screen.planFile}
					stacks={screen.stacks}
					width={columns}
					onPick={actions.openPlan}
					onQuit={() => actions.leave(0)}
				/>
			);
		case 'error':
			return <ErrorScreen message={screen.message} width={columns} onBack={home} onQuit={() => actions.leave(2, screen.message)} />;
	}
}
