/**
 * `netmigrate init`: find the stack (running containers' compose labels, or the compose
 * files in the folder), draft a plan, check that it validates, and write it.
 */
import {lstatSync, readlinkSync, renameSync, rmSync, writeFileSync, type Stats} from 'node:fs';
import {randomBytes} from 'node:crypto';
import path from 'node:path';
import {loadComposeProject, type ComposeModel} from '../compose/project.js';
import type {ContainerInfo} from '../domain.js';
import {apiAtLeast, gwPriorityApi} from '../versions.js';
import {Engine} from '../engine/docker.js';
import {fileError} from '../engine/files.js';
import {readHostRoutes} from '../engine/host-routes.js';
import {listStackServices} from '../engine/swarm.js';
import {NetmigrateError} from '../errors.js';
import {checkOutput, readTierRules} from './init-inputs.js';
import {locateStack, locateStackFile} from './init-locate.js';
import {draftPerAppPlan, draftTieredPlan, type DraftResult, type NetworkFact} from '../plan/draft.js';
import {parsePlan, planError} from '../plan/load.js';
import {reachWarnings} from '../plan/reach.js';
import {validatePlan} from '../plan/validate.js';

export type InitOptions = {
	host: string;
	stack?: string;
	/** `-f`, relative to the stack folder; none → COMPOSE_FILE → compose's default file and its override. */
	files: string[];
	/** `-p`, `--env-file` (absolute), `--profile`: used to read the stack and written to the plan's `stack:`. */
	projectName?: string;
	envFiles?: string[];
	profiles?: string[];
	output?: string;
	preset: 'tiered' | 'per-app';
	tiers?: string;
	groups: string[];
	legacy?: string;
	force: boolean;
	/** A swarm stack deployed under this name (`docker stack deploy … <name>`): the draft says `target: swarm`. */
	swarm?: string;
};

export async function initCommand(options: InitOptions, write: (text: string) => void): Promise<number> {
	const facts = await readEngine(options);
	const located = options.swarm ? locateStackFile(options) : locateStack(options, facts.containers);
	const givenEnvFiles = options.envFiles && options.envFiles.length > 0 ? options.envFiles : (located.envFiles ?? []);
	const envFiles = givenEnvFiles.map((file) => path.relative(located.root, file) || file);
	const project = loadComposeProject(located.root, located.files, {
		environment: process.env,
		envFiles,
		profiles: options.profiles ?? [],
		...(options.swarm ? {projectName: options.swarm} : options.projectName ? {projectName: options.projectName} : {}),
	});
	const legacy = options.legacy ?? mostCommonNetwork(project);
	const output = path.resolve(options.output ?? path.join(located.root, 'netmigrate.yml'));
	checkOutput(output, options.output !== undefined);
	const draft = draftPlan(options, project, facts, {root: located.root, output, envFiles, legacy});

	const {plan, locate} = parsePlan(output, draft.text);
	const problems = validatePlan(plan, project, locate);
	if (problems.length > 0) throw planError(output, problems);
	writePlanFile(output, draft.text, options.force);
	write(
		`wrote ${output}: ${Object.keys(draft.networks).length} networks, ${plan.iterations[0]?.checks.length ?? 0} checks for ${options.swarm ? 'swarm stack' : 'project'} ${project.projectName} (legacy network ${legacy})`,
	);
	if (draft.unclassified.length > 0) write(`not classified (assign by hand): ${draft.unclassified.join(', ')}`);
	for (const warning of draft.warnings) write(`warning: ${warning}`);
	for (const problem of reachWarnings(plan, project, locate, facts.existingNetworks)) write(`warning: ${problem.message}`);
	if (facts.engineNote) write(facts.engineNote);
	if (options.projectName)
		write(
			`the project is named by -p: pass -p ${options.projectName} to every netmigrate command (as to compose), or set COMPOSE_PROJECT_NAME=${options.projectName} in .env`,
		);
	write('next: review it, then `netmigrate plan` for the dry run');
	return 0;
}

/** What the engine tells a draft; all empty, with a note saying so, when no engine answers. */
type EngineFacts = {
	containers: ContainerInfo[];
	/** Every subnet of the engine's networks: a drafted subnet avoids them. */
	engineNetworks: string[];
	existingNetworks: NetworkFact[];
	engineNote: string;
	/** A swarm stack's images by service, as deployed. */
	stackImages: Map<string, string> | undefined;
	keepEgressByName: boolean;
};

/** The engine's containers and networks, whether its API has gw_priority, and a swarm stack's services. */
async function readEngine(options: InitOptions): Promise<EngineFacts> {
	let containers: ContainerInfo[] = [];
	let engineNetworks: string[] = [];
	let existingNetworks: NetworkFact[] = [];
	let engineNote = '';
	let stackImages: Map<string, string> | undefined;
	let keepEgressByName = false;
	try {
		const engine = new Engine(options.host);
		const [all, networks, version] = await Promise.all([engine.listContainers(), engine.listNetworks(), engine.version()]);
		// Before Engine 28 there is no gw_priority: only a name that sorts after the legacy network keeps egress there.
		keepEgressByName = !apiAtLeast(version.apiVersion, gwPriorityApi);
		if (options.swarm) stackImages = await deployedStack(engine, options.swarm);
		containers = all;
		engineNetworks = networks.flatMap((network) => network.subnets.map((subnet) => subnet.subnet));
		existingNetworks = networks.map((network) => ({
			name: network.name,
			internal: network.internal,
			subnets: network.subnets.map((subnet) => subnet.subnet),
			labels: network.labels,
			...(network.labels['com.docker.compose.project'] ? {project: network.labels['com.docker.compose.project']} : {}),
		}));
	} catch (error) {
		if (!(error instanceof NetmigrateError) || error.code !== 'engine-unreachable') throw error;
		engineNote = `no engine answered at ${options.host}; drafted from the compose files only (subnets not checked against it)`;
	}
	return {containers, engineNetworks, existingNetworks, engineNote, stackImages, keepEgressByName};
}

/**
 * The plan the chosen preset drafts for the stack's active services: subnets clear of the engine's,
 * the declared ones and the host's routes; images as running (a swarm stack's: as deployed); then
 * the env files and profiles the stack was read with, so later commands read it the same way.
 */
function draftPlan(
	options: InitOptions,
	project: ComposeModel,
	facts: EngineFacts,
	where: {root: string; output: string; envFiles: string[]; legacy: string},
): DraftResult {
	const projectContainers = facts.containers.filter((container) => container.project === project.projectName);
	const images =
		facts.stackImages ??
		new Map(
			projectContainers.filter((container) => container.service).map((container) => [container.service as string, container.image]),
		);
	const rules = options.tiers ? readTierRules(options.tiers) : undefined;
	const declaredSubnets = [...project.networks.values()].flatMap((declarations) =>
		[...declarations.values()].flatMap((declaration) => declaration.subnets),
	);
	// Services of inactive profiles are neither drafted nor expected running.
	const active = {...project, services: new Map([...project.services].filter(([, service]) => service.active))};
	const input = {
		project: active,
		legacy: where.legacy,
		usedSubnets: [...facts.engineNetworks, ...declaredSubnets, ...readHostRoutes().map((route) => route.subnet)],
		images,
		...(rules ? {rules} : {}),
		existingNetworks: facts.existingNetworks,
		composeFiles: project.rootFiles,
		stackRoot: path.relative(path.dirname(where.output), where.root) || '.',
		...(options.swarm ? {target: 'swarm' as const} : {}),
		...(facts.keepEgressByName ? {keepEgressByName: facts.keepEgressByName} : {}),
	};
	const drafted =
		options.preset === 'per-app' ? draftPerAppPlan({...input, groups: parseGroups(options.groups)}) : draftTieredPlan(input);
	return {...drafted, text: withComposeSettings(drafted.text, where.envFiles, options.profiles ?? [])};
}

/**
 * The swarm stack's services (spec image by short name, digest dropped); none deployed under
 * that name is an error, since every later command needs them.
 */
async function deployedStack(engine: Engine, stack: string): Promise<Map<string, string>> {
	const services = await listStackServices(engine, stack);
	if (services.size === 0)
		throw new NetmigrateError(
			`no swarm stack ${stack} is deployed on this engine (no service is labelled com.docker.stack.namespace=${stack})`,
			{
				code: 'bad-input',
				hint: 'run init against a manager of the swarm (--host / DOCKER_HOST), with the name given to `docker stack deploy`',
			},
		);
	return new Map(
		[...services]
			.filter(([, service]) => service.image)
			.map(([name, service]) => [name, (service.image as string).replace(/@sha256:[0-9a-f]+$/, '')]),
	);
}

/**
 * The draft's `stack:` gains the env files and profiles the stack was read with, so `plan`
 * and `apply` read it the same way (the drafted header ends its `stack:` with `project:`).
 */
function withComposeSettings(text: string, envFiles: string[], profiles: string[]): string {
	const lines = [
		...(envFiles.length > 0 ? [`  envFiles: [${envFiles.map((file) => JSON.stringify(file)).join(', ')}]`] : []),
		...(profiles.length > 0 ? [`  profiles: [${profiles.map((profile) => JSON.stringify(profile)).join(', ')}]`] : []),
	];
	if (lines.length === 0) return text;
	return text.replace(/^(stack:\n(?: {2}.*\n)*)/m, (stack) => `${stack}${lines.join('\n')}\n`);
}

function mostCommonNetwork(project: ReturnType<typeof loadComposeProject>): string {
	const counts = new Map<string, number>();
	for (const service of project.services.values())
		for (const network of service.networks) counts.set(network, (counts.get(network) ?? 0) + 1);
	const best = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
	if (!best)
		throw new NetmigrateError("the stack's services are on no network to migrate from", {
			code: 'bad-input',
			hint: 'pass --legacy <network>',
		});
	return best[0];
}

function parseGroups(groups: string[]): Record<string, string[]> {
	const result: Record<string, string[]> = {};
	for (const group of groups) {
		const [name, members] = group.split('=');
		if (!name || !members)
			throw new NetmigrateError(`--group ${group}: expected name=app1,app2`, {
				code: 'bad-input',
				hint: 'name the group and its apps, e.g. --group media=jellyfin,jellyseerr',
			});
		result[name] = members.split(',').filter(Boolean);
	}
	return result;
}

/**
 * Writes the drafted plan as a file of its own, never through a link: a dangling
 * `netmigrate.yml` link had the draft land wherever it pointed (outside the stack), and `--force`
 * overwrote a link's target. A link is refused, naming it (the operator made it, and may want the
 * plan where it points: `--output` says so explicitly); `--force` replaces only a regular file,
 * atomically (a temp file beside it, then rename).
 */
function writePlanFile(output: string, text: string, force: boolean): void {
	let existing: Stats | undefined;
	try {
		existing = lstatSync(output);
	} catch {
		existing = undefined;
	}
	if (existing?.isSymbolicLink()) {
		const target = readlinkSync(output);
		throw new NetmigrateError(
			`${path.basename(output)} is a symbolic link (to ${target}): init writes the plan as a file of its own, never through a link`,
			{
				where: {file: output},
				code: 'bad-input',
				hint: `remove the link (\`rm ${output}\`) and run init again, or pass --output <file> to write the draft elsewhere (--output ${path.resolve(path.dirname(output), target)} writes it where the link points)`,
			},
		);
	}
	if (existing && !existing.isFile())
		throw new NetmigrateError(`${output} exists and is not a file`, {
			where: {file: output},
			code: 'bad-input',
			hint: 'pass --output <file> to write the draft elsewhere',
		});
	if (existing && !force)
		throw new NetmigrateError(`${output} already exists`, {
			code: 'bad-input',
			hint: 'pass --force to replace it, or --output <file> to write elsewhere',
		});
	// 'wx' (O_EXCL) fails on anything at the name, a link created since included.
	const temporary = existing
		? path.join(path.dirname(output), `.${path.basename(output)}.netmigrate-${randomBytes(4).toString('hex')}`)
		: output;
	try {
		writeFileSync(temporary, text, {mode: 0o644, flag: 'wx'});
		if (temporary !== output) renameSync(temporary, output);
	} catch (error) {
		if (temporary !== output) rmSync(temporary, {force: true});
		throw fileError(error, output, 'writing');
	}
}
