/**
 * Labels the plan sets on a service (an iteration's `labels:`, e.g. `traefik.docker.network`
 * for a proxy that shares several networks with what it routes), written where the service's
 * labels are: a map entry or a `- key=value` item, an existing key's value replaced in place,
 * a `labels:` block added when the service has none. Labels it inherits (a merge key, an
 * alias) are refused: setting one there would change every service sharing them.
 */
import {isAlias, isMap, isScalar, isSeq, type Node, type Pair, type Scalar} from 'yaml';
import type {EditableFile} from './editable.js';
import {appendToMap, appendToSeq, findPair, inheritedValue} from './nodes.js';
import {scalarText, type TextEdit} from './text.js';

/**
 * Sets one label; nothing when it already has that value. The value is the plan's, literally:
 * compose interpolates label values, so each `$` is written `$$` and compose reads exactly the
 * plan's text (`pa$word${HOME}` is not read as `pa` + the home folder).
 */
export function setLabel(file: EditableFile, service: string, key: string, literal: string): void {
	const value = literal.replaceAll('$', '$$$$');
	const node = file.serviceNode(service);
	const labels = findPair(node, 'labels')?.value as Node | null | undefined;
	if (isAlias(labels) || (!labels && inheritedValue(file.document(), node, 'labels'))) {
		throw file.refusal(
			`the labels of ${service} are inherited; setting ${key} there would change every service sharing them`,
			labels ?? node,
			'write `labels:` on the service itself first, then run the plan again',
		);
	}
	const what = `set the label ${key} of ${service}`;
	const edit = file.attempt(what, 'set it by hand, then run the plan again', () => labelEdit(file, node, labels, key, value));
	if (!edit) return;
	file.apply(
		[edit],
		(data) => {
			const own = data.services?.[service] as Record<string, unknown>;
			if (Array.isArray(own.labels)) {
				const at = own.labels.findIndex((item) => String(item).split('=')[0] === key);
				if (at >= 0) own.labels[at] = `${key}=${value}`;
				else own.labels.push(`${key}=${value}`);
			} else own.labels = {...(own.labels as Record<string, unknown> | undefined), [key]: value};
		},
		what,
	);
}

function labelEdit(
	file: EditableFile,
	service: Parameters<typeof appendToMap>[1],
	labels: Node | null | undefined,
	key: string,
	value: string,
): TextEdit | undefined {
	if (isMap(labels)) {
		const pair = findPair(labels, key) as Pair<unknown, Scalar> | undefined;
		if (!pair)
			return appendToMap(
				file.text,
				labels,
				{block: [`${scalarText(key)}: ${scalarText(value)}`], flow: `${scalarText(key, true)}: ${scalarText(value, true)}`},
				file.newline,
			);
		return replaceScalar(pair.value, value, scalarText(value, labels.flow));
	}
	if (isSeq(labels)) {
		const item = labels.items.find((candidate) => isScalar(candidate) && String(candidate.value).split('=')[0] === key) as
			| Scalar
			| undefined;
		if (!item) return appendToSeq(file.text, labels, scalarText(`${key}=${value}`, labels.flow), file.newline);
		return replaceScalar(item, `${key}=${value}`, scalarText(`${key}=${value}`, labels.flow));
	}
	return appendToMap(
		file.text,
		service,
		{
			block: ['labels:', `  ${scalarText(key)}: ${scalarText(value)}`],
			flow: `labels: {${scalarText(key, true)}: ${scalarText(value, true)}}`,
		},
		file.newline,
	);
}

/** The scalar's text replaced, unless it already says `wanted`. */
function replaceScalar(scalar: Scalar | null | undefined, wanted: string, text: string): TextEdit | undefined {
	if (isScalar(scalar) && String(scalar.value) === wanted) return undefined;
	const [start, end] = scalar?.range ?? [0, 0];
	return {start, end, insert: text};
}
