/**
 * The connectivity matrix, failed rows first:
 *
 *   from         to                via           expect     result     latency
 *   ✖ sonarr     qbittorrent:8080  download-net  reachable  blocked    —  HTTP 403
 *   ✔ traefik    jellyfin:8096     frontend-net  reachable  reachable  3.7 ms
 */
import {Box, Text} from 'ink';
import type {CheckResult, HealthResult} from '../domain.js';
import {fit, glyphs, symbols, tone} from './theme.js';

export function CheckMatrix({checks, width, limit}: {checks: CheckResult[]; width: number; limit?: number}) {
	const rows = [...checks].sort((a, b) => Number(a.ok) - Number(b.ok)).slice(0, limit ?? checks.length);
	const detailWidth = Math.max(0, width - (2 + 11 + 17 + 13 + 10 + 10 + 8));
	return (
		<Box flexDirection="column">
			<Text
				bold
				wrap="truncate-end"
			>{`  ${fit('from', 11)}${fit('to', 17)}${fit('via', 13)}${fit('expect', 10)}${fit('result', 10)}${fit('latency', 8)}`}</Text>
			{rows.map((check, index) => (
				// One Text, cut at the edge: on a narrow terminal the row loses its right end, never wraps.
				<Text key={`${check.from}-${check.to}-${check.via ?? ''}-${index}`} wrap="truncate-end">
					<Text color={check.ok ? tone('ok') : tone('fail')}>{`${check.ok ? symbols.done : symbols.failed} `}</Text>
					{`${fit(check.from, 10)} ${fit(check.to, 16)} ${fit(check.via ?? '-', 12)} ${fit(check.expect, 9)} `}
					<Text color={check.ok ? tone('ok') : tone('fail')}>{`${fit(check.outcome, 9)} `}</Text>
					{fit(check.latencyMs === undefined ? glyphs().dash : `${check.latencyMs} ms`, 8)}
					<Text color={tone('muted')}>{check.ok ? '' : fit(check.detail, detailWidth)}</Text>
				</Text>
			))}
			{checks.length > rows.length ? (
				<Text color={tone('muted')}>{`  ${glyphs().ellipsis} ${checks.length - rows.length} more`}</Text>
			) : null}
		</Box>
	);
}

/** Failures in red; containers that were unhealthy before the iteration began (judged against its start) as a warning, not a failure. */
export function HealthSummary({health}: {health: HealthResult[]}) {
	const bad = health.filter((item) => !item.ok);
	const before = health.filter((item) => item.unhealthyBefore);
	const beforeLine =
		before.length > 0 ? (
			<Text
				color={tone('warn')}
				wrap="truncate-end"
			>{`${symbols.warn} ${before.length} unhealthy before the iteration began (not a failure): ${before.map((item) => item.container).join(', ')}`}</Text>
		) : null;
	if (bad.length === 0) {
		return (
			<Box flexDirection="column">
				<Text
					color={tone('ok')}
				>{`${symbols.done} ${health.length - before.length} containers running, every healthcheck passing`}</Text>
				{beforeLine}
			</Box>
		);
	}
	return (
		<Box flexDirection="column">
			<Text color={tone('fail')}>{`${symbols.failed} ${bad.length} of ${health.length} containers unhealthy:`}</Text>
			{bad.slice(0, 4).map((item) => (
				<Text key={item.container} color={tone('fail')}>{`  ${item.container}: ${item.state}, ${item.health}`}</Text>
			))}
			{beforeLine}
		</Box>
	);
}
