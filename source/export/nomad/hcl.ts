/**
 * A small HCL writer: the Nomad job, the Consul config entries and the variable specifications
 * are built as trees of attributes and blocks, then printed the way `nomad fmt` prints them
 * (two-space indent, `=` aligned across consecutive attributes). Strings are escaped for HCL's
 * templates too: a `${` or `%{` in a compose value (a healthcheck's shell line) would otherwise
 * be read as an HCL interpolation.
 */

export type HclValue = string | number | boolean | string[] | Heredoc | HclObject[];
/** `Sources = [{Name = "x", Action = "allow"}]`: a list of objects (Consul's entries use them). */
export type HclObject = Record<string, string | number | boolean>;
export type Heredoc = {heredoc: string};
export type HclAttribute = {kind: 'attribute'; name: string; value: HclValue};
export type HclBlock = {kind: 'block'; type: string; labels: string[]; body: HclNode[]};
export type HclNode = HclAttribute | HclBlock | {kind: 'comment'; text: string};

export const attribute = (name: string, value: HclValue | undefined): HclNode[] =>
	value === undefined ? [] : [{kind: 'attribute', name, value}];
export const block = (type: string, labels: string[], body: HclNode[]): HclBlock => ({kind: 'block', type, labels, body});
export const comment = (text: string): HclNode => ({kind: 'comment', text});

/** A quoted HCL string: escapes, and `${`/`%{` doubled so they stay literal. */
export function quote(text: string): string {
	const escaped = text
		.replace(/\\/g, '\\\\')
		.replace(/"/g, '\\"')
		.replace(/\n/g, '\\n')
		.replace(/\r/g, '\\r')
		.replace(/\t/g, '\\t')
		.replace(/\$\{/g, '$${')
		.replace(/%\{/g, '%%{');
	return `"${escaped}"`;
}

/** An attribute name or map key: bare when HCL allows it, quoted otherwise. */
function key(name: string): string {
	return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(name) ? name : quote(name);
}

function value(item: HclValue, indent: string): string {
	if (typeof item === 'string') return quote(item);
	if (typeof item === 'number' || typeof item === 'boolean') return String(item);
	if (!Array.isArray(item)) {
		const body = item.heredoc.replace(/\$\{/g, '$${').replace(/%\{/g, '%%{');
		return `<<EOT\n${body.endsWith('\n') ? body : `${body}\n`}EOT`;
	}
	if (item.length === 0) return '[]';
	if (typeof item[0] === 'string') return `[${(item as string[]).map(quote).join(', ')}]`;
	const objects = (item as HclObject[]).map(
		(object) =>
			`${indent}  {${Object.entries(object)
				.map(([name, entry]) => `${key(name)} = ${value(entry, '')}`)
				.join(', ')}},`,
	);
	return `[\n${objects.join('\n')}\n${indent}]`;
}

/** The nodes printed at `depth`, consecutive attributes aligned on `=`. */
export function printHcl(nodes: HclNode[], depth = 0): string {
	const indent = '  '.repeat(depth);
	const lines: string[] = [];
	let run: HclAttribute[] = [];
	const flush = () => {
		const width = Math.max(...run.map((item) => key(item.name).length));
		for (const item of run) lines.push(`${indent}${key(item.name).padEnd(width)} = ${value(item.value, indent)}`);
		run = [];
	};
	nodes.forEach((node, index) => {
		if (node.kind === 'attribute') {
			run.push(node);
			return;
		}
		if (run.length > 0) flush();
		if (node.kind === 'comment') {
			if (index > 0 && nodes[index - 1]?.kind !== 'comment' && nodes[index + 1]?.kind === 'block') lines.push('');
			lines.push(...node.text.split('\n').map((line) => `${indent}# ${line}`.trimEnd()));
			return;
		}
		if (index > 0 && nodes[index - 1]?.kind !== 'comment') lines.push('');
		const labels = node.labels.map((label) => ` ${quote(label)}`).join('');
		if (node.body.length === 0) lines.push(`${indent}${node.type}${labels} {}`);
		else lines.push(`${indent}${node.type}${labels} {`, printHcl(node.body, depth + 1), `${indent}}`);
	});
	if (run.length > 0) flush();
	return lines.join('\n');
}
