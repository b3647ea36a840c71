/**
 * The checks of an iteration: the matrix (failed rows first) and container health.
 *
 *   Checks of iteration 1: network-foundation  2/3 passed
 *     from       to               via          expect    result    latency
 *   ✖ sonarr     qbittorrent:8080 download-net reachable blocked   9.1 ms  HTTP 403
 *   ✔ traefik    jellyfin:8096    frontend-net reachable reachable 3.7 ms
 *
 *   ✔ 18 containers running, every healthcheck passing
 *   Enter/q back
 */
import {Box, Text} from 'ink';
import {useScreenInput} from './input.js';
import type {CheckResult, HealthResult} from '../domain.js';
import {CheckMatrix, HealthSummary} from './CheckMatrix.js';
import {KeyHints} from './KeyHints.js';
import {tone} from './theme.js';

export function ChecksScreen({
	title,
	checks,
	health,
	width,
	height,
	onBack,
}: {
	title: string;
	checks: CheckResult[];
	health: HealthResult[];
	width: number;
	height: number;
	onBack: () => void;
}) {
	useScreenInput((input, key) => {
		if (key.return || key.escape || input === 'q') onBack();
	});
	const passed = checks.filter((check) => check.ok).length;
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">
				{title}
				<Text color={passed === checks.length ? tone('ok') : tone('fail')}>{`  ${passed}/${checks.length} passed`}</Text>
			</Text>
			<CheckMatrix checks={checks} width={width} limit={Math.max(3, height - 8)} />
			<Box marginTop={1}>
				<HealthSummary health={health} />
			</Box>
			<KeyHints hints={[['Enter/q', 'back']]} />
		</Box>
	);
}
