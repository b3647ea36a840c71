/**
 * The drafted plan as the commented YAML the operator reads and edits: every network with
 * what it is for, every service accounted for (assigned and why, left on the legacy
 * network and why, or not movable), and each iteration with a reason beside each line.
 */
import type {AllowListEntry} from './allowlists.js';
import type {DraftIteration} from './iterations.js';
import type {Accounting} from './draft-words.js';

export type {Accounting} from './draft-words.js';

export type DraftNetwork = {name: string; subnet: string; internal: boolean; purpose: string};

export type DraftDocument = {
	comment: string[];
	/** A swarm stack's draft says so (see swarm-draft.ts); a compose project's says nothing. */
	target?: 'swarm';
	stackRoot: string;
	composeFiles: string[];
	project: string;
	legacy: string;
	networks: DraftNetwork[];
	egressFalse: Array<{service: string; why: string}>;
	accounting: Accounting[];
	warnings: string[];
	iterations: DraftIteration[];
};

export function renderPlan(draft: DraftDocument): string {
	const lines = [
		...draft.comment.map((line) => `# ${line}`),
		'version: 1',
		...(draft.target ? [`target: ${draft.target}`] : []),
		'stack:',
		`  root: ${yamlString(draft.stackRoot)}`,
		`  files: [${draft.composeFiles.map(yamlString).join(', ')}]`,
		`  project: ${yamlString(draft.project)}`,
		`legacy: ${yamlString(draft.legacy)}`,
		'',
		...renderNetworks(draft.networks),
		...renderEgress(draft.egressFalse),
		'',
		...renderAccounting(draft),
		'iterations:',
		...draft.iterations.flatMap(renderIteration),
	];
	return `${lines.join('\n')}\n`;
}

function renderNetworks(networks: DraftNetwork[]): string[] {
	if (networks.length === 0) return ['networks: {}  # nothing was classified: add networks and assign services by hand'];
	const width = Math.max(...networks.map((network) => network.name.length)) + 1;
	const bodies = networks.map((network) => `{ subnet: ${network.subnet}${network.internal ? ', internal: true' : ''} }`);
	const bodyWidth = Math.max(...bodies.map((body) => body.length));
	return [
		'networks:',
		...networks.map(
			(network, index) =>
				`  ${`${network.name}:`.padEnd(width)} ${(bodies[index] as string).padEnd(bodyWidth)}  # ${network.purpose}`,
		),
	];
}

function renderEgress(entries: DraftDocument['egressFalse']): string[] {
	if (entries.length === 0) return [];
	return [
		'',
		'# These reach the internet today only through the legacy network and, by the catalog, do not',
		'# need it: after retire-legacy they have none. Delete a line to keep its way out instead.',
		'services:',
		...entries.map((entry) => `  ${yamlString(entry.service)}: { egress: false }  # ${entry.why}`),
	];
}

function renderAccounting(draft: DraftDocument): string[] {
	const width = Math.max(0, ...draft.accounting.map((entry) => entry.service.length)) + 1;
	const lines = ['# Every service in the project:'];
	for (const entry of draft.accounting) lines.push(`#   ${entry.service.padEnd(width)} ${entry.where} — ${entry.why}`);
	for (const warning of draft.warnings) lines.push(`# WARNING: ${warning}`);
	lines.push('');
	return lines;
}

function renderIteration(iteration: DraftIteration): string[] {
	const lines = [`  - name: ${iteration.name}`, ...iteration.comments.map((comment) => `    # ${comment}`)];
	const width = Math.max(0, ...iteration.attach.map((entry) => entry.service.length)) + 1;
	if (iteration.attach.length > 0 || iteration.name === 'network-foundation') {
		lines.push(iteration.attach.length > 0 ? '    attach:' : '    attach: {}');
		for (const entry of iteration.attach)
			lines.push(`      ${`${yamlString(entry.service)}:`.padEnd(width)} [${entry.networks.join(', ')}]`);
	}
	if (iteration.firewall.length > 0) lines.push('    firewall:', ...iteration.firewall.map(renderAllowList));
	if (iteration.labels.length > 0) {
		lines.push('    # traefik must be told which network reaches each service: netmigrate writes these labels into');
		lines.push('    # the compose files and recreates those services when this iteration runs.');
		lines.push('    labels:');
		for (const entry of iteration.labels)
			lines.push(
				`      ${yamlString(entry.service)}: { ${Object.entries(entry.labels)
					.map(([key, value]) => `${key}: ${value}`)
					.join(', ')} }  # ${entry.why}`,
			);
	}
	if (iteration.unpublish.length > 0) {
		lines.push('    unpublish:');
		for (const entry of iteration.unpublish)
			lines.push(
				`      ${yamlString(entry.service)}: [${entry.ports.map((port) => JSON.stringify(port)).join(', ')}]  # ${entry.why}`,
			);
	}
	if (iteration.detach.length > 0) {
		lines.push('    detach:');
		for (const entry of iteration.detach) lines.push(`      ${yamlString(entry.service)}: [${entry.networks.join(', ')}]`);
	}
	if (iteration.checks.length > 0) {
		lines.push('    checks:');
		for (const check of iteration.checks) {
			const blocked = check.expect === 'blocked' ? ', expect: blocked, timeout: 1' : '';
			lines.push(
				`      - { from: ${yamlString(check.from)}, to: ${JSON.stringify(check.to)}, via: ${check.via}${blocked} }  # ${check.why}`,
			);
		}
	}
	lines.push('');
	return lines;
}

function renderAllowList(entry: AllowListEntry): string {
	return `      - { service: ${yamlString(entry.service)}, variable: ${entry.variable}, ensure: [${entry.ensure.join(', ')}] }  # ${entry.why}`;
}

/** Plain when YAML reads it back as the same string; quoted otherwise (`null`, `true`, `0755`, `1e3`). */
export function yamlString(text: string): string {
	const plain = /^[A-Za-z0-9_./-]+$/.test(text) && !/^(null|true|false|~|[-+]?[0-9][0-9_.e+-]*|0x[0-9a-f]+|0o[0-7]+)$/i.test(text);
	return plain ? text : JSON.stringify(text);
}
