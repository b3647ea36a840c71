/**
 * Allow-list variables (gluetun's FIREWALL_OUTBOUND_SUBNETS, LOCAL_NETWORK, …): new subnets
 * are appended to the value where it is written — the service's `environment:` (list or
 * map, own or inherited), or the `.env`/`env_file` line a `${VAR}` points at — keeping the
 * value's style and every other byte. A `.env` variable that anything else also uses is
 * refused, since extending it would change that use too.
 */
import {isMap, isScalar, isSeq, type Node, type Scalar} from 'yaml';
import {NetmigrateError} from '../errors.js';
import {contains, parseCidr} from '../plan/subnets.js';
import type {EditableFile} from './editable.js';
import {parseEnvFile, setEnvValue, type EnvFile} from './envfile.js';
import {soleVariable} from './interpolate.js';
import {appendToMap, appendToScalar, findPair, inheritedValue, resolveAlias, writtenValue} from './nodes.js';
import {ownCollection} from './owned.js';
import type {ComposeModel, ServiceModel} from './project.js';
import {scalarText, type TextEdit} from './text.js';
import {fileMode, readEnvFile, refuseSharedVariable} from './variable-uses.js';

/** `key` is the name edited in `file`: the variable itself, or the `.env` variable its `${…}` names. */
export type AllowListChange = {
	service: string;
	variable: string;
	file: string;
	key: string;
	before: string;
	after: string;
	added: string[];
};

export type EnvEdits = Map<string, {file: EnvFile; text: string; mode: number}>;

export type AllowListContext = {model: ComposeModel; file: EditableFile; envEdits: EnvEdits; notes: string[]};

/** `a,b` + [c, a] → suffix `,c`: what to append so the list covers `ensure`; the value itself is never rewritten. */
export function extendAllowList(current: string, ensure: string[]): {after: string; suffix: string; added: string[]} {
	const body = current.replace(/\s+$/, '');
	const separator = /,\s/.test(body) ? ', ' : ',';
	const entries = body
		.split(',')
		.map((entry) => entry.trim())
		.filter(Boolean);
	const added: string[] = [];
	for (const wanted of ensure) {
		const range = parseCidr(wanted);
		const covered = [...entries, ...added].some((entry) => {
			if (entry === wanted) return true;
			const existing = parseCidr(entry);
			return existing !== undefined && range !== undefined && contains(existing, range);
		});
		if (!covered) added.push(wanted);
	}
	if (added.length === 0) return {after: current, suffix: '', added};
	const joiner = body === '' ? '' : body.endsWith(',') ? separator.slice(1) : separator;
	const suffix = joiner + added.join(separator);
	return {after: body + suffix + current.slice(body.length), suffix, added};
}

/** `a,b` + [c, a] → `a,b,c`; an entry already covered by a wider range is not added. */
export function mergeAllowList(current: string, ensure: string[]): string {
	return extendAllowList(current, ensure).after;
}

export function ensureAllowList(context: AllowListContext, service: ServiceModel, variable: string, subnets: string[]): AllowListChange {
	const {file} = context;
	if (service.environment.some((candidate) => candidate.key === variable)) {
		const raw = rawValue(file, service.name, variable);
		if (raw === undefined) {
			throw file.refusal(
				`${variable} is listed without a value, so compose takes it from the shell netmigrate cannot edit`,
				file.serviceNode(service.name),
				`give it its value in the compose file (\`${variable}=<subnets>\`) or in .env (\`${variable}: \${${variable}}\`)`,
			);
		}
		const reference = soleVariable(raw);
		if (reference) return ensureInEnvFile(context, service, variable, envFileDefining(context, service, reference), reference, subnets);
		const extended = extendAllowList(raw, subnets);
		const change = {
			service: service.name,
			variable,
			file: service.file,
			key: variable,
			before: raw,
			after: extended.after,
			added: extended.added,
		};
		if (extended.added.length > 0) editEnvironment(context, service.name, variable, extended);
		return change;
	}
	for (const envFile of service.envFiles) {
		if (envFileOf(context, envFile)?.entries.has(variable))
			return ensureInEnvFile(context, service, variable, envFile, variable, subnets);
	}
	throw file.refusal(
		`service ${service.name} does not set ${variable}`,
		file.serviceNode(service.name),
		`add ${variable} to its environment (the current allow-list) or fix the variable name in netmigrate.yml`,
	);
}

/** The value as written (before interpolation, plain scalars as their source text), from the service's environment as compose merges it. */
function rawValue(file: EditableFile, service: string, variable: string): string | undefined {
	const document = file.document();
	const node = file.serviceNode(service);
	const own = findPair(node, 'environment')?.value as Node | undefined;
	const environment = own ? resolveAlias(document, own) : inheritedValue(document, node, 'environment');
	if (isSeq(environment)) {
		const item = environment.items.find((candidate) => isScalar(candidate) && String(candidate.value).startsWith(`${variable}=`));
		return isScalar(item) ? writtenValue(file.text, item).slice(variable.length + 1) : undefined;
	}
	if (!isMap(environment)) return undefined;
	const pair = findPair(environment, variable);
	// `KEY:` with nothing after it is an empty value (compose passes it as empty).
	if (pair && pair.value === null) return '';
	const value = pair ? resolveAlias(document, pair.value as Node) : inheritedValue(document, environment, variable);
	return isScalar(value) ? writtenValue(file.text, value) : undefined;
}

function editEnvironment(context: AllowListContext, service: string, variable: string, extended: {after: string; suffix: string}): void {
	const {file} = context;
	const environment = ownCollection(file, service, 'environment', undefined, context.notes);
	const what = `add to ${variable} of ${service}`;
	let index = -1;
	const edit = file.attempt(what, `extend ${variable} by hand, then run the plan again`, (): TextEdit => {
		if (isSeq(environment)) {
			index = environment.items.findIndex((item) => isScalar(item) && String(item.value).startsWith(`${variable}=`));
			return appendToScalar(
				file.text,
				environment.items[index] as Scalar,
				extended.suffix,
				scalarText(`${variable}=${extended.after}`, environment.flow),
			);
		}
		const own = findPair(environment, variable)?.value;
		if (isScalar(own)) return appendToScalar(file.text, own, extended.suffix, scalarText(extended.after, environment.flow));
		// Inherited through `<<:` in the map: an own key overrides it for this service only.
		const inherited = inheritedValue(file.document(), environment, variable);
		const value = styledLike(inherited, extended.after, environment.flow === true);
		const key = scalarText(variable, true);
		return appendToMap(file.text, environment, {block: [`${key}: ${value}`], flow: `${key}: ${value}`}, file.newline);
	});
	file.apply(
		[edit],
		(data) => {
			const own = data.services?.[service] as Record<string, unknown>;
			if (Array.isArray(own.environment)) own.environment[index] = `${variable}=${extended.after}`;
			else (own.environment as Record<string, unknown>)[variable] = extended.after;
		},
		what,
	);
}

/** A new scalar quoted the way the one it overrides was. */
function styledLike(model: Node | undefined, value: string, inFlow: boolean): string {
	const type = isScalar(model) ? model.type : undefined;
	if (type === 'QUOTE_DOUBLE') return JSON.stringify(value);
	if (type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
	return scalarText(value, inFlow);
}

function ensureInEnvFile(
	context: AllowListContext,
	service: ServiceModel,
	variable: string,
	envPath: string,
	key: string,
	subnets: string[],
): AllowListChange {
	const parsed = envFileOf(context, envPath) as EnvFile;
	const current = parsed.entries.get(key)?.value ?? '';
	const extended = extendAllowList(current, subnets);
	const change = {service: service.name, variable, file: envPath, key, before: current, after: extended.after, added: extended.added};
	if (extended.added.length === 0) return change;
	refuseSharedVariable(context.model, {service, variable, envPath, key, after: extended.after});
	const edited = context.envEdits.get(envPath) as {file: EnvFile; text: string; mode: number};
	edited.text = setEnvValue(parseEnvFile(envPath, edited.text), key, extended.after);
	return change;
}

function envFileDefining(context: AllowListContext, service: ServiceModel, variable: string): string {
	const env = context.model.env;
	if (env?.entries.has(variable)) return env.path;
	throw new NetmigrateError(
		`${service.name}'s allow-list comes from \${${variable}}, but ${context.model.root}/.env does not set ${variable}`,
		{
			where: context.file.where(context.file.serviceNode(service.name)),
			hint: `add ${variable}=<current subnets> to .env so netmigrate can extend it (compose would otherwise use an empty value)`,
			code: 'bad-input',
		},
	);
}

function envFileOf(context: AllowListContext, envPath: string): EnvFile | undefined {
	const known = context.envEdits.get(envPath);
	if (known) return known.file;
	const file = envPath === context.model.env?.path ? context.model.env : readEnvFile(envPath, context.model.loadedWith.options.texts);
	if (!file) return undefined;
	context.envEdits.set(envPath, {file, text: file.text, mode: fileMode(envPath)});
	return file;
}
