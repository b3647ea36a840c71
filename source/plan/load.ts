/**
 * Reading `netmigrate.yml`: YAML syntax, then the schema, then the meaning against the
 * compose project — every problem reported at once with file:line:column and a fix.
 */
import path from 'node:path';
import {isMap, isScalar, isSeq, LineCounter, type Document, type Node} from 'yaml';
import {readInputText} from '../input-file.js';
import {parseYamlInput, yamlData} from '../yaml-input.js';
import type * as z from 'zod/mini';
import {loadComposeProject, type ComposeModel} from '../compose/project.js';
import type {Locate, PlanPath, Problem, Where} from '../domain.js';
import {NetmigrateError} from '../errors.js';
import {parsePlanShape, type Plan} from './schema.js';
import {validatePlan} from './validate.js';

export type LoadedPlan = {
	file: string;
	plan: Plan;
	locate: Locate;
	/** The compose project the plan is for (resolved from `stack.root` relative to the plan file). */
	project: ComposeModel;
};

/**
 * `startedIterations`: iterations already (partly) applied, whose checks against the files'
 * current state (e.g. a port still published) no longer hold and are skipped.
 */
/** `environment`: the shell's variables compose would see (default: this process's). */
export function loadPlan(
	file: string,
	options: {environment?: Record<string, string | undefined>; startedIterations?: Set<string>} = {},
): LoadedPlan {
	const absolute = path.resolve(file);
	let text: string;
	try {
		text = readInputText(absolute, {namedBy: '--plan or the current folder'});
	} catch (error) {
		if (error instanceof NetmigrateError) throw error;
		const code = (error as NodeJS.ErrnoException).code;
		throw new NetmigrateError(
			code === 'ENOENT' ? `no plan file at ${absolute}` : `cannot read ${absolute}: ${(error as Error).message}`,
			{
				where: {file: absolute},
				hint:
					code === 'ENOENT'
						? 'run `netmigrate init` in the stack folder to draft one, or pass --plan <file>'
						: "check the file's permissions",
				code: 'bad-input',
			},
		);
	}
	const {plan, locate} = parsePlan(absolute, text);
	const root = path.resolve(path.dirname(absolute), plan.stack.root);
	let project: ComposeModel;
	try {
		// The shell's COMPOSE_PROJECT_NAME, COMPOSE_PROFILES… count as they do for compose (the CLI turns -p, --profile and --env-file into them).
		// A swarm stack is named on `docker stack deploy`'s command line, not by its file: the plan names it.
		const stackName = plan.target === 'swarm' && plan.stack.project ? {projectName: plan.stack.project} : {};
		project = loadComposeProject(root, plan.stack.files, {
			environment: options.environment ?? process.env,
			envFiles: plan.stack.envFiles,
			profiles: plan.stack.profiles,
			...stackName,
		});
	} catch (error) {
		// A root compose file that cannot be read is a problem of the plan's `stack:` section.
		if (
			error instanceof NetmigrateError &&
			error.where?.line === undefined &&
			plan.stack.files.some((name) => path.resolve(root, name) === error.where?.file)
		) {
			throw planError(absolute, [
				{
					message: error.message,
					where: locate(['stack', 'files']),
					hint: `check \`stack.root\` (${plan.stack.root}) and \`stack.files\`; they are relative to the plan file`,
				},
			]);
		}
		throw error;
	}
	const problems = validatePlan(plan, project, locate, {startedIterations: options.startedIterations ?? new Set()});
	if (problems.length > 0) throw planError(absolute, problems);
	return {file: absolute, plan, locate, project};
}

/** Syntax and schema only; throws with every problem found. */
export function parsePlan(file: string, text: string): {plan: Plan; locate: Locate; document: Document} {
	const lines = new LineCounter();
	const document = parseYamlInput(file, text, {lineCounter: lines, prettyErrors: false});
	const locate: Locate = (at, onKey = false) => locateIn(document, lines, file, at, onKey);
	if (document.errors.length > 0) {
		throw planError(
			file,
			document.errors.map((error) => {
				const position = lines.linePos(error.pos[0]);
				return {
					message: `invalid YAML: ${error.message.split('\n')[0]}`,
					where: {file, line: position.line, column: position.col},
					hint: 'fix the YAML syntax here',
				};
			}),
		);
	}
	const data = yamlData(document, file, lines);
	if (data !== null && data !== undefined && !isMap(document.contents)) {
		const kind = isSeq(document.contents) ? 'a list' : 'a single value';
		throw planError(file, [
			{
				message: `the plan is ${kind}, not a mapping`,
				where: {file, line: 1},
				hint: 'a plan is a mapping with `version: 1`, `stack:`, `networks:` and `iterations:` (`netmigrate init` drafts one)',
			},
		]);
	}
	const parsed = parsePlanShape(data ?? {});
	if (!parsed.success)
		throw planError(
			file,
			parsed.error.issues.map((issue) => schemaProblem(issue, locate)),
		);
	return {plan: parsed.data, locate, document};
}

function schemaProblem(issue: z.core.$ZodIssue, locate: Locate): Problem {
	const at = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
	const dotted = at.join('.') || '(top level)';
	if (issue.code === 'unrecognized_keys') {
		const keys = issue.keys;
		return {
			message: `${dotted}: unknown key${keys.length > 1 ? 's' : ''} ${keys.join(', ')}`,
			where: locate([...at, keys[0] as string], true),
			hint: 'check the spelling against the plan file reference in the README',
		};
	}
	if (issue.code === 'invalid_key') {
		const key = String((issue as {input?: unknown}).input ?? '');
		return {
			message: `${dotted}: "${key}": ${issue.issues[0]?.message ?? issue.message}`,
			where: locate([...at, key], true),
			hint: hintFor(at),
		};
	}
	if (issue.code === 'invalid_type' && issue.input === undefined && at.length > 0) {
		return {message: `${dotted} is missing`, where: locate(at.slice(0, -1)), hint: `add \`${String(at.at(-1))}:\` (${issue.expected})`};
	}
	return {message: `${dotted}: ${issue.message}`, where: locate(at), hint: hintFor(at)};
}

function hintFor(at: PlanPath): string | undefined {
	const last = at.at(-1);
	if (last === 'subnet') return 'a CIDR range such as 172.20.1.0/24';
	if (last === 'expect') return 'reachable or blocked';
	if (last === 'mode') return 'live or recreate';
	if (last === 'project') return 'write the name as `docker compose ls` shows it, e.g. `project: media`';
	return undefined;
}

export function planError(file: string, problems: Problem[]): NetmigrateError {
	return new NetmigrateError(
		`${path.basename(file)} has ${problems.length} problem${problems.length === 1 ? '' : 's'}; nothing was changed`,
		{
			problems,
			where: {file},
			code: 'bad-input',
		},
	);
}

function locateIn(document: Document, lines: LineCounter, file: string, at: PlanPath, onKey: boolean): Where {
	let node: Node | null | undefined = document.contents;
	let best: Node | null | undefined = node;
	for (const [index, part] of at.entries()) {
		if (isMap(node)) {
			const pair = node.items.find((item) => String(isScalar(item.key) ? item.key.value : item.key) === String(part));
			if (!pair) break;
			const last = index === at.length - 1;
			node = (last && onKey ? pair.key : (pair.value ?? pair.key)) as Node;
		} else if (isSeq(node) && typeof part === 'number') {
			node = node.items[part] as Node | undefined;
		} else break;
		if (node?.range) best = node;
		else break;
	}
	const offset = best?.range?.[0];
	if (offset === undefined) return {file};
	const position = lines.linePos(offset);
	return {file, line: position.line, column: position.col};
}
