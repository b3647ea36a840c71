/**
 * The end of a run: for an apply, what changed and how it went; for a rollback, what the
 * verification found.
 *
 *   ✔ Iteration 1 (network-foundation) is done
 *
 *   Networks created      6
 *   Services multi-homed  17
 *   Checks passed         2/3
 *   Measured downtime     2.3 s (gluetun + qbittorrent)
 *   Default routes moved  traefik → dmz-net
 *   Report                .netmigrate/reports/01-network-foundation.md
 *
 *     from       to               via          expect    result    latency
 *   ✖ sonarr     qbittorrent:8080 download-net reachable blocked   9.1 ms  HTTP 403
 *   Enter home
 *
 * and after a rollback:
 *
 *   ✔ Iteration 1 (network-foundation) rolled back in 4.3 s
 *
 *   ✔ 12 files byte-identical (sha256)
 *   ✔ 18 containers on exactly their networks from before
 *   2 files put back as they were before the iteration
 *
 *   Enter home
 */
import {Box, Text} from 'ink';
import {useScreenInput} from './input.js';
import type {ApplyResult, RollbackResult} from '../run.js';
import {CheckMatrix} from './CheckMatrix.js';
import {KeyHints} from './KeyHints.js';
import {fit, formatMs, glyphs, symbols, tone} from './theme.js';

export type ApplySummary = ApplyResult;

export function DoneScreen({summary, root, width, onHome}: {summary: ApplySummary; root?: string; width: number; onHome: () => void}) {
	useScreenInput((_input, key) => {
		if (key.return || key.escape || _input === 'q') onHome();
	});
	const passed = summary.checks.filter((check) => check.ok).length;
	const downtime = summary.restarts.reduce((total, restart) => total + restart.durationMs, 0);
	return (
		<Box flexDirection="column">
			<Text
				bold
				color={tone('ok')}
				wrap="truncate-end"
			>{`${symbols.done} Iteration ${summary.index + 1} (${summary.iteration}) ${summary.status === 'already-done' ? 'was already done' : 'is done'}`}</Text>
			<Box flexDirection="column" marginY={1}>
				<Text wrap="truncate-end">{`Networks created      ${summary.networksCreated}`}</Text>
				<Text wrap="truncate-end">{`Services multi-homed  ${summary.servicesMultihomed}`}</Text>
				<Text wrap="truncate-end">{`Checks passed         ${passed}/${summary.checks.length}`}</Text>
				<Text wrap="truncate-end">{`Duration              ${formatMs(summary.durationMs)}`}</Text>
				<Text wrap="truncate-end">{`Measured downtime     ${summary.restarts.length === 0 ? '0 s (no restarts)' : `${formatMs(downtime)} (${summary.restarts.map((restart) => restart.services.join(' + ')).join(', ')})`}`}</Text>
				{summary.movedRoutes.length > 0 ? (
					<Text color={tone('warn')}>
						{fit(
							`Default routes moved  ${summary.movedRoutes.map((move) => `${move.container} ${glyphs().arrow} ${move.after ?? 'none'}`).join(', ')}`,
							width,
						)}
					</Text>
				) : null}
				{summary.report ? (
					<Text>
						{fit(
							`Report                ${root && summary.report.startsWith(`${root}/`) ? summary.report.slice(root.length + 1) : summary.report}`,
							width,
						)}
					</Text>
				) : null}
			</Box>
			<CheckMatrix checks={summary.checks} width={width} limit={8} />
			<KeyHints hints={[['Enter', 'home']]} />
		</Box>
	);
}

export function RollbackDoneScreen({result, onHome}: {result: RollbackResult; onHome: () => void}) {
	useScreenInput((_input, key) => {
		if (key.return || key.escape || _input === 'q') onHome();
	});
	return (
		<Box flexDirection="column">
			<Text bold color={tone('ok')} wrap="truncate-end">
				{result.nothingToDo
					? 'Nothing to roll back.'
					: `${symbols.done} Iteration ${result.index + 1} (${result.iteration}) rolled back in ${formatMs(result.durationMs)}`}
			</Text>
			<Box flexDirection="column" marginY={1}>
				{result.verified.map((line) => (
					<Text key={line} color={tone('ok')} wrap="truncate-end">{`${symbols.done} ${line}`}</Text>
				))}
				{result.restoredFiles.length > result.mergedFiles.length ? (
					<Text wrap="truncate-end">
						{filesLine(result.restoredFiles.length - result.mergedFiles.length, 'put back as they were before the iteration')}
					</Text>
				) : null}
				{result.mergedFiles.length > 0 ? (
					<Text wrap="truncate-end">
						{filesLine(result.mergedFiles.length, "with netmigrate's edits undone and your changes since the apply kept")}
					</Text>
				) : null}
			</Box>
			<KeyHints hints={[['Enter', 'home']]} />
		</Box>
	);
}

function filesLine(count: number, what: string): string {
	return `${count} file${count === 1 ? '' : 's'} ${what}`;
}
