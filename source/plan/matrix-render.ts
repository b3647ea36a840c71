/**
 * The reachability matrix drawn three ways: text (a sources × targets grid under short column
 * letters, 80 columns, paged when wider; then the mismatches with their reasons, the paths
 * through the host, and egress as configured), JSON for scripts, and a Prometheus
 * node-exporter textfile (`netmigrate verify --prometheus FILE`, for a cron job or a systemd
 * timer beside the stack's Prometheus). Pure.
 */
import {pairKey} from './intent.js';
import {renderGrid, shortLabels, wrapList, wrapWords} from './grid.js';
import type {PairVerdict, ReachabilityMatrix} from './matrix.js';

/** The grid's marks: `·` reachable as intended, `x` blocked as intended, `!` not as intended, `?` not probed. */
export function cellOf(pair: PairVerdict | undefined): string {
	if (!pair) return '';
	if (!pair.asIntended) return '!';
	if (pair.observed === 'unprobed') return '?';
	return pair.expected === 'reachable' ? '·' : 'x';
}

export const matrixLegend = '· reachable as intended  x blocked as intended  ! not as intended  ? no listener';

function stage(matrix: ReachabilityMatrix): string {
	return matrix.iteration < 0
		? 'before any iteration'
		: `after iteration ${matrix.iteration + 1}${matrix.iterationName ? ` (${matrix.iterationName})` : ''}`;
}

export function matrixSummary(matrix: ReachabilityMatrix): string {
	const through = matrix.hostPaths.length > 0 ? `, ${matrix.hostPaths.length} through the host` : '';
	return `${matrix.pairs.length} pairs, ${matrix.mismatches.length} not as intended${through}`;
}

/** The grid alone: rows are sources, columns targets, each labelled by its letter. */
export function matrixGrid(matrix: ReachabilityMatrix, width = 80): string[] {
	const codes = shortLabels(matrix.namespaces.length);
	const pairs = new Map(matrix.pairs.map((pair) => [pairKey(pair.from, pair.to), pair]));
	const rows = matrix.namespaces.map((from, row) => ({
		label: `${codes[row]} ${from.owner}${from.followers.length > 0 ? '+' : ''}`,
		cells: matrix.namespaces.map((to) => (to.owner === from.owner ? '\\' : cellOf(pairs.get(pairKey(from.owner, to.owner))))),
	}));
	return renderGrid({rows, columns: codes, width, pageOf: 'targets'});
}

export function renderMatrixText(matrix: ReachabilityMatrix, width = 80): string[] {
	const lines = [
		`Reachability of ${matrix.project} against the plan ${stage(matrix)}:`,
		matrixSummary(matrix),
		matrixLegend,
		'Rows reach columns; + marks a namespace others share (followers).',
		'',
	];
	lines.push(...matrixGrid(matrix, width), '');
	if (matrix.mismatches.length === 0) lines.push('Every pair is as the plan intends.');
	else lines.push(`Not as intended (${matrix.mismatches.length}):`);
	for (const pair of matrix.mismatches) {
		lines.push(`! ${pair.from} -> ${pair.to}: expected ${pair.expected}, ${pair.observed}`);
		lines.push(...wrapWords(pair.reason ?? '', width, '    '));
	}
	if (matrix.hostPaths.length > 0) {
		lines.push('', `Reachable only through the host (${matrix.hostPaths.length}):`);
		for (const path of matrix.hostPaths) {
			lines.push(`  ${path.from} -> ${path.to}: ${path.address}:${path.port}${path.ms === undefined ? '' : ` (${path.ms} ms)`}`);
			lines.push(...wrapWords(path.reason, width, '    '));
		}
	}
	lines.push('', 'Egress, as configured (not probed):');
	const groups = new Map<string, string[]>();
	for (const item of matrix.egress)
		groups.set(item.via ?? 'none (internal networks only)', [
			...(groups.get(item.via ?? 'none (internal networks only)') ?? []),
			item.owner,
		]);
	for (const [via, owners] of groups) lines.push(...wrapList(`  by ${via}:`, owners, width, '    '));
	return lines;
}

/** The JSON document `netmigrate verify --json` prints (README: "verify as JSON"). */
export function matrixJson(matrix: ReachabilityMatrix) {
	return {
		version: 1,
		project: matrix.project,
		iteration: matrix.iteration < 0 ? null : {iteration: matrix.iteration + 1, name: matrix.iterationName ?? null},
		summary: {pairs: matrix.pairs.length, mismatches: matrix.mismatches.length, hostPaths: matrix.hostPaths.length},
		namespaces: matrix.namespaces,
		pairs: matrix.pairs.map((pair) => ({
			from: pair.from,
			to: pair.to,
			expected: pair.expected,
			observed: pair.observed,
			asIntended: pair.asIntended,
			via: pair.via,
			ports: pair.probes.map((probe) => ({
				port: probe.port,
				address: probe.address,
				network: probe.network,
				reachable: probe.reachable,
				ms: probe.ms,
			})),
			...(pair.reason ? {reason: pair.reason} : {}),
		})),
		mismatches: matrix.mismatches.map((pair) => ({
			from: pair.from,
			to: pair.to,
			expected: pair.expected,
			observed: pair.observed,
			reason: pair.reason ?? '',
		})),
		hostPaths: matrix.hostPaths,
		egress: matrix.egress.map((item) => ({
			owner: item.owner,
			followers: item.followers,
			via: item.via ?? null,
			internet: item.internet,
		})),
	};
}

/** A label value as Prometheus' text format wants it: backslash, double quote and newline escaped. */
function labelValue(value: string): string {
	return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/**
 * The node-exporter textfile: gauges, each with HELP and TYPE. Per pair, 1 when as intended,
 * with the intent and the observation as labels. The file's age is node-exporter's own
 * `node_textfile_mtime_seconds`.
 */
export function renderMatrixPrometheus(matrix: ReachabilityMatrix): string {
	const project = `project="${labelValue(matrix.project)}"`;
	const lines = [
		'# HELP netmigrate_reachability_mismatches Ordered pairs of network namespaces whose reachability is not as the plan intends.',
		'# TYPE netmigrate_reachability_mismatches gauge',
		`netmigrate_reachability_mismatches{${project}} ${matrix.mismatches.length}`,
		'# HELP netmigrate_reachability_host_paths Pairs reachable only through a port published on the host.',
		'# TYPE netmigrate_reachability_host_paths gauge',
		`netmigrate_reachability_host_paths{${project}} ${matrix.hostPaths.length}`,
		'# HELP netmigrate_reachability_pairs Ordered pairs of network namespaces probed against the plan.',
		'# TYPE netmigrate_reachability_pairs gauge',
		`netmigrate_reachability_pairs{${project}} ${matrix.pairs.length}`,
		'# HELP netmigrate_reachability_pair_as_intended 1 when the pair is reachable or blocked as the plan intends, 0 when not.',
		'# TYPE netmigrate_reachability_pair_as_intended gauge',
		...matrix.pairs.map(
			(pair) =>
				`netmigrate_reachability_pair_as_intended{${project},from="${labelValue(pair.from)}",to="${labelValue(pair.to)}",expected="${pair.expected}",observed="${pair.observed}"} ${pair.asIntended ? 1 : 0}`,
		),
	];
	return `${lines.join('\n')}\n`;
}
