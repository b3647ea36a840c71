/**
 * The network map drawn three ways: text for a terminal (80 columns: networks as lettered
 * columns with a legend below, paged when there are more than fit), JSON for scripts (its
 * shape is documented in the README and kept stable: fields are added, never renamed), and a
 * Mermaid `flowchart` for the operator's docs (networks and services as nodes, membership as
 * links; joined links dotted and green, left ones dotted and red). ASCII only, so a golden
 * file reads the same on every terminal. Pure.
 */
import {renderGrid, shortLabels, wrapList} from './grid.js';
import type {MapCell, MapNetwork, NetworkMap} from './map.js';

const cellMark: Record<MapCell, string> = {kept: 'o', joined: '+', left: '-', absent: ''};

/** "after iteration 1 (network-foundation)", "now". */
function stageLabel(index: number, name?: string): string {
	return index < 0 ? 'now' : `after iteration ${index + 1}${name ? ` (${name})` : ''}`;
}

export function mapHeading(map: NetworkMap): string {
	return map.before === map.after
		? `Network map of ${map.project}: ${stageLabel(map.after, map.afterName)}`
		: `Network map of ${map.project}: ${map.beforeLabel ?? stageLabel(map.before)} -> ${stageLabel(map.after, map.afterName)}`;
}

function networkNote(network: MapNetwork): string {
	return [network.legacy ? 'legacy' : '', network.planned ? 'new' : '', network.internal ? 'internal' : ''].filter(Boolean).join(', ');
}

export function renderMapText(map: NetworkMap, width = 80): string[] {
	const codes = shortLabels(map.networks.length, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
	const rows = map.rows.flatMap((row) => [
		{
			label: row.owner,
			cells: row.cells.map(
				(cell, index) =>
					`${cellMark[cell]}${cell !== 'left' && cell !== 'absent' && map.networks[index]?.name === row.egressAfter ? '*' : ''}`,
			),
		},
		...row.followers.map((follower) => ({label: `  ^ ${follower}`})),
	]);
	const source = map.source === 'engine' ? 'now: the running containers' : 'now: the compose files (no engine consulted)';
	const lines = [mapHeading(map), source, '', ...renderGrid({rows, columns: codes, width, cellWidth: 2, pageOf: 'networks'}), ''];
	lines.push('o on it  + joins  - leaves  * egress (default route)  ^ shares the namespace');
	const nameWidth = Math.max(...map.networks.map((network) => network.name.length), 7);
	map.networks.forEach((network, index) =>
		lines.push(
			`${(codes[index] as string).padEnd(3)}${network.name.padEnd(nameWidth + 2)}${(network.subnet ?? '-').padEnd(20)}${networkNote(network)}`.trimEnd(),
		),
	);
	const closed = map.rows.filter((row) => row.internalOnly).map((row) => row.owner);
	if (closed.length > 0) lines.push('', ...wrapList(`No way to the internet (internal networks only):`, closed, width));
	const moved = map.rows.filter((row) => row.egressBefore !== row.egressAfter && (row.egressBefore || row.egressAfter));
	if (moved.length > 0 && map.before !== map.after) {
		lines.push('');
		const moves = new Map<string, string[]>();
		for (const row of moved) {
			const move = `${row.egressBefore ?? 'none'} -> ${row.egressAfter ?? 'none'}`;
			moves.set(move, [...(moves.get(move) ?? []), row.owner]);
		}
		for (const [move, owners] of moves) lines.push(...wrapList(`Egress ${move}:`, owners, width));
	}
	return lines;
}

/** The JSON document `netmigrate map --format json` prints (README: "The map as JSON"). */
export function mapJson(map: NetworkMap) {
	return {
		version: 1,
		project: map.project,
		source: map.source,
		before: map.before < 0 ? null : {iteration: map.before + 1},
		after: map.after < 0 ? null : {iteration: map.after + 1, name: map.afterName ?? null},
		networks: map.networks.map((network) => ({
			name: network.name,
			subnet: network.subnet ?? null,
			internal: network.internal,
			planned: network.planned,
			legacy: network.legacy,
		})),
		namespaces: map.rows.map((row) => ({
			owner: row.owner,
			followers: row.followers,
			networks: Object.fromEntries(
				row.cells.map((cell, index) => [map.networks[index]?.name, cell]).filter(([, cell]) => cell !== 'absent'),
			),
			egress: {before: row.egressBefore ?? null, after: row.egressAfter ?? null},
			internet: !row.internalOnly,
		})),
	};
}

/** Mermaid ids: letters, digits and _ only, prefixed by kind, unique even when two names sanitise alike. */
function idMaker(): (prefix: string, name: string) => string {
	const used = new Map<string, string>();
	const taken = new Set<string>();
	return (prefix, name) => {
		const key = `${prefix}:${name}`;
		const known = used.get(key);
		if (known) return known;
		const base = `${prefix}_${name.replace(/[^A-Za-z0-9_]/g, '_')}`;
		let id = base;
		for (let suffix = 2; taken.has(id); suffix++) id = `${base}_${suffix}`;
		used.set(key, id);
		taken.add(id);
		return id;
	};
}

/** A label inside `["…"]`: Mermaid's entity for a double quote, and no raw brackets or newlines. */
function mermaidLabel(text: string): string {
	return text.replace(/"/g, '#quot;').replace(/[\r\n]+/g, ' ');
}

export function renderMapMermaid(map: NetworkMap): string {
	const id = idMaker();
	const lines = ['flowchart LR'];
	for (const network of map.networks) {
		const note = [network.subnet, networkNote(network)].filter(Boolean).join(', ');
		lines.push(
			`  ${id('n', network.name)}{{"${mermaidLabel(network.name)}${note ? `<br/>${mermaidLabel(note)}` : ''}"}}${network.internal ? ':::internal' : ''}`,
		);
	}
	for (const row of map.rows) {
		const followers = row.followers.length > 0 ? `<br/>+ ${mermaidLabel(row.followers.join(', '))}` : '';
		lines.push(`  ${id('s', row.owner)}["${mermaidLabel(row.owner)}${followers}"]${row.internalOnly ? ':::offline' : ''}`);
	}
	const joined: number[] = [];
	const left: number[] = [];
	let link = 0;
	for (const row of map.rows) {
		row.cells.forEach((cell, index) => {
			const network = map.networks[index] as MapNetwork;
			if (cell === 'absent') return;
			const egress = network.name === row.egressAfter && cell !== 'left';
			const from = id('s', row.owner);
			const to = id('n', network.name);
			if (cell === 'kept') lines.push(`  ${from} ${egress ? '==>|egress|' : '-->'} ${to}`);
			else lines.push(`  ${from} -.->|${cell === 'joined' ? (egress ? 'joins, egress' : 'joins') : 'leaves'}| ${to}`);
			if (cell === 'joined') joined.push(link);
			if (cell === 'left') left.push(link);
			link++;
		});
	}
	lines.push('  classDef internal stroke-dasharray: 4 3', '  classDef offline fill:#eee,color:#555');
	if (joined.length > 0) lines.push(`  linkStyle ${joined.join(',')} stroke:#2a2`);
	if (left.length > 0) lines.push(`  linkStyle ${left.join(',')} stroke:#c22`);
	return lines.join('\n');
}

/** The report's section: the map as text and as a Mermaid diagram, fenced. */
export function mapMarkdown(map: NetworkMap): string[] {
	return ['## Network map', '', '```text', ...renderMapText(map), '```', '', '```mermaid', renderMapMermaid(map), '```'];
}
