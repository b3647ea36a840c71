/**
 * Compose-style variable interpolation: `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`,
 * `${VAR:?message}`, `${VAR?message}`, `${VAR:+alt}`, and `$$` for a literal dollar.
 */
export type Variables = Record<string, string | undefined>;

export class InterpolationError extends Error {}

const pattern = /\$(?:\$|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])((?:[^{}]|\{[^{}]*\})*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g;

export function interpolate(text: string, variables: Variables): string {
	return text.replace(
		pattern,
		(match, braced: string | undefined, operator: string | undefined, argument: string | undefined, bare: string | undefined) => {
			if (match === '$$') return '$';
			const name = braced ?? bare ?? '';
			const value = variables[name];
			const unset = value === undefined;
			const empty = unset || value === '';
			switch (operator) {
				case ':-':
					return empty ? interpolate(argument ?? '', variables) : (value as string);
				case '-':
					return unset ? interpolate(argument ?? '', variables) : (value as string);
				case ':?':
					if (empty) throw new InterpolationError(`required variable ${name} is missing a value: ${argument ?? ''}`.trim());
					return value as string;
				case '?':
					if (unset) throw new InterpolationError(`required variable ${name} is missing: ${argument ?? ''}`.trim());
					return value as string;
				case ':+':
					return empty ? '' : interpolate(argument ?? '', variables);
				case '+':
					return unset ? '' : interpolate(argument ?? '', variables);
				default:
					return value ?? '';
			}
		},
	);
}

/**
 * Every required variable a text names that is missing (`${VAR?err}`) or, for `:?`, empty —
 * as messages, all of them, so one run reports every variable to set.
 */
export function missingRequired(text: string, variables: Variables): string[] {
	const missing: string[] = [];
	for (const match of text.matchAll(pattern)) {
		const [, name, operator, argument] = match;
		if (!name || (operator !== ':?' && operator !== '?')) continue;
		const value = variables[name];
		const why = argument ? `: ${argument}` : '';
		if (operator === ':?' && (value === undefined || value === '')) missing.push(`required variable ${name} is missing a value${why}`);
		if (operator === '?' && value === undefined) missing.push(`required variable ${name} is missing${why}`);
	}
	return missing;
}

/** The variable a value consists of entirely (`${VAR}`, `${VAR:-x}`, `$VAR`), if any. */
export function soleVariable(text: string): string | undefined {
	const match = /^\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?[-?+](?:[^{}]|\{[^{}]*\})*)?\}|([A-Za-z_][A-Za-z0-9_]*))$/.exec(text.trim());
	return match ? (match[1] ?? match[2]) : undefined;
}

/** Every variable a text refers to. */
export function referencedVariables(text: string): string[] {
	const names: string[] = [];
	for (const match of text.matchAll(pattern)) {
		const name = match[1] ?? match[4];
		if (name) names.push(name);
	}
	return names;
}

/** Applies `interpolate` to every string inside a plain JS value (keys are left alone, as compose does). */
export function interpolateDeep(value: unknown, variables: Variables): unknown {
	if (typeof value === 'string') return interpolate(value, variables);
	if (Array.isArray(value)) return value.map((item) => interpolateDeep(item, variables));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, interpolateDeep(item, variables)]));
	}
	return value;
}

/**
 * Where `text` holds a `$` compose refuses ("Invalid template"): after a `$` compose expects
 * `$` (a literal dollar), a variable name, or `{NAME}` / `{NAME` + one of `:-` `-` `:?` `?` `:+`
 * `+` + anything with balanced braces + `}`. The offset of the offending `$`, or undefined.
 */
export function invalidTemplateAt(text: string): number | undefined {
	for (let index = text.indexOf('$'); index !== -1; index = text.indexOf('$', index + 1)) {
		const next = text[index + 1];
		if (next === '$') {
			index++;
			continue;
		}
		if (next !== undefined && /[A-Za-z_]/.test(next)) continue;
		if (next !== '{') return index;
		const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(index + 2))?.[0];
		if (!name) return index;
		let at = index + 2 + name.length;
		if (text[at] === '}') continue;
		const operator = /^(:?[-?+])/.exec(text.slice(at))?.[0];
		if (!operator) return index;
		at += operator.length;
		let depth = 1;
		for (; at < text.length && depth > 0; at++) {
			if (text[at] === '{') depth++;
			else if (text[at] === '}') depth--;
		}
		if (depth > 0) return index;
	}
	return undefined;
}

/** The variables a text uses without a default that the variables do not set (compose warns and uses ""). */
export function unsetVariables(text: string, variables: Variables): string[] {
	const names: string[] = [];
	for (const match of text.matchAll(pattern)) {
		const [whole, braced, operator] = match;
		if (whole === '$$' || operator !== undefined) continue;
		const name = braced ?? match[4];
		if (name && variables[name] === undefined) names.push(name);
	}
	return names;
}
