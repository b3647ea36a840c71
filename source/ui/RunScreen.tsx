/**
 * A run in progress: the steps with their status, the action being made, each wait in progress
 * with its bar (recreates side by side wait for their first healthchecks at once), a tail of the
 * log; before each step that changes the host, a gate; on failure, the error in plain words with
 * its fix and the way on (retry, roll back, or quit keeping the state).
 *
 *   Applying iteration 1: network-foundation (mode live)
 *   ✔ Preflight  …   ⠋ Set labels  0/2  80.4 s
 *   → recreate radarr
 *     sonarr        first healthcheck  █████████░░░░  42s of about 1m (at most 2m)
 *     radarr        first healthcheck  ▓▓▓▓▓████████  1m20s of about 1m (at most 2m)
 *   ┌ Next: Update firewall allow-lists — 2 actions ┐
 */
import {Box, Text} from 'ink';
import {useScreenInput} from './input.js';
import {useState} from 'react';
import {KeyHints} from './KeyHints.js';
import type {RunView} from './run-state.js';
import {Menu} from './Menu.js';
import {StepList} from './StepList.js';
import {TextScreen} from './TextScreen.js';
import {WaitBar} from './WaitBar.js';
import {fit, glyphs, symbols, tone, wrap} from './theme.js';

export type Gate = {title: string; actions: string[]};
export type FailureChoice = 'retry' | 'rollback' | 'quit';

export function RunScreen({
	view,
	width,
	height,
	gate,
	stopping,
	onGate,
	onFailure,
}: {
	view: RunView;
	width: number;
	height: number;
	gate?: Gate;
	stopping: boolean;
	onGate: (go: boolean) => void;
	onFailure: (choice: FailureChoice) => void;
}) {
	const [showActions, setShowActions] = useState(false);
	const [reading, setReading] = useState(false);
	const failure = failureText(view.failed, width - 4);
	const {dash, ellipsis, border, times} = glyphs();
	useScreenInput(
		(input, key) => {
			if (!gate) return;
			if (key.return || input === 'y') {
				setShowActions(false);
				onGate(true);
			} else if (input === 's') setShowActions((shown) => !shown);
			else if (input === 'q' || key.escape) onGate(false);
		},
		{isActive: gate !== undefined},
	);
	if (reading && view.failed)
		return <TextScreen title="What failed" lines={failure.all} width={width} height={height} onBack={() => setReading(false)} />;
	const verb = {apply: 'Applying', rollback: 'Rolling back', settle: 'Settling after'}[view.run];
	// Header, steps, current action, hints, and one spare row so Ink never redraws the whole screen.
	const reserved = 1 + view.steps.length + 1 + 1 + 1 + (view.stopped ? 1 : 0);
	const gateRoom = Math.max(1, height - reserved - 4);
	const shownActions = gate ? (showActions ? gate.actions.slice(0, gateRoom) : gate.actions.slice(0, 1)) : [];
	const gateHeight = gate ? 3 + shownActions.length + (gate.actions.length > shownActions.length ? 1 : 0) : 0;
	const waits = waitRows(view.failed ? [] : view.waits, height - reserved - gateHeight - 1);
	const tail = Math.max(0, height - reserved - gateHeight - waits.rows);
	return (
		<Box flexDirection="column">
			<Text
				bold
				wrap="truncate-end"
			>{`${verb} iteration ${view.index + 1}: ${view.iteration}${view.resumed ? ` ${dash} resumed where it stopped` : ''}`}</Text>
			<StepList steps={view.steps} width={width} />
			<Text color={tone('accent')}>
				{fit(
					view.current ? `${symbols.arrow} ${view.current}` : stopping ? `stopping after the current action${ellipsis}` : ' ',
					width,
				)}
			</Text>
			{waits.shown.map((wait) => (
				<WaitBar key={wait.service} wait={wait} width={width} />
			))}
			{waits.more > 0 ? <Text color={tone('muted')}>{fit(`  ${ellipsis} and ${waits.more} more waiting`, width)}</Text> : null}
			{gate ? (
				<Box flexDirection="column" borderStyle={border} borderColor={tone('accent')} paddingX={1}>
					<Text
						bold
					>{`Next: ${gate.title} ${dash} ${gate.actions.length} action${gate.actions.length === 1 ? '' : 's'} that change the host`}</Text>
					{shownActions.map((action, index) => (
						<Text key={index} color={tone('muted')}>
							{fit(`  ${action}`, width - 4)}
						</Text>
					))}
					{gate.actions.length > shownActions.length ? (
						<Text
							color={tone('muted')}
						>{`  ${ellipsis} and ${gate.actions.length - shownActions.length} more${showActions ? '' : ' (s shows them)'}`}</Text>
					) : null}
				</Box>
			) : null}
			{view.failed ? (
				<Box flexDirection="column" borderStyle={border} borderColor={tone('fail')} paddingX={1}>
					{failure.shown.map((line, index) => (
						<Text key={index} color={index < failure.errorLines ? tone('fail') : undefined} bold={index < failure.errorLines}>
							{line}
						</Text>
					))}
					<Menu
						items={failureChoices(failure.cut, view.run)}
						onSelect={(choice) => (choice === 'read' ? setReading(true) : onFailure(choice))}
					/>
				</Box>
			) : gate ? null : (
				<Box flexDirection="column" height={tail}>
					{view.log.slice(-tail).map((line, index) => (
						<Text key={index} color={line.startsWith(symbols.failed) ? tone('fail') : tone('muted')}>
							{fit(line, width)}
						</Text>
					))}
				</Box>
			)}
			{view.stopped ? <Text color={tone('warn')}>{fit(`${symbols.warn} ${view.stopped}`, width)}</Text> : null}
			<KeyHints
				hints={
					gate
						? [
								['Enter', 'go ahead'],
								['s', 'show actions'],
								['q', 'stop here (state saved)'],
							]
						: [
								['Ctrl-C', 'stop after this action'],
								[`Ctrl-C ${times}2`, 'quit now'],
							]
				}
			/>
		</Box>
	);
}

/**
 * The waits that fit in `room` rows (at least one: the log's tail gives way first), the rest
 * counted on a line of their own. A failed run shows none: its box takes their place.
 */
function waitRows(waits: RunView['waits'], room: number) {
	const fits = Math.max(1, room);
	if (waits.length <= fits) return {shown: waits, more: 0, rows: waits.length};
	return {shown: waits.slice(0, fits - 1), more: waits.length - fits + 1, rows: fits};
}

/** A failure's message and fix, wrapped; at most 4 lines shown in the box, the rest behind "Read the whole message". */
function failureText(failed: RunView['failed'], width: number) {
	const errorLines = failed ? wrap(`${symbols.failed} ${failed.error}`, width, '  ') : [];
	const all = [...errorLines, ...(failed?.hint ? wrap(`fix: ${failed.hint}`, width, '  ') : [])];
	const limit = 4;
	const cut = all.length > limit;
	const shown = cut ? [...all.slice(0, limit - 1), `${glyphs().ellipsis} ${all.length - limit + 1} more lines`] : all;
	return {all, shown, errorLines: Math.min(errorLines.length, limit - 1), cut};
}

/** The ways on after a failure, in the run's direction: a failed rollback is retried or left for later, never "rolled back" again from here. */
function failureChoices(cut: boolean, run: RunView['run']): Array<{label: string; value: FailureChoice | 'read'}> {
	const read = cut ? [{label: 'Read the whole message', value: 'read' as const}] : [];
	if (run === 'rollback')
		return [
			{label: 'Retry the rollback (continue from here)', value: 'retry'},
			{label: 'Quit and keep the state (finish later with `netmigrate rollback`)', value: 'quit'},
			...read,
		];
	return [
		{label: 'Retry (resume from here)', value: 'retry'},
		{label: 'Roll back this iteration', value: 'rollback'},
		{label: 'Quit and keep the state (resume later)', value: 'quit'},
		...read,
	];
}
