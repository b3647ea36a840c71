/**
 * Entry point: parse arguments, then run a headless command or (on a TTY) the wizard.
 * Kept light: each command's modules (Ink, dockerode, yaml) load only when it runs, so
 * `--help` and `--version` answer at once.
 */
import {exitCodeOf, formatError, NetmigrateError} from './errors.js';
import {checkComposeNames, closest, iterationNumber, parseCommandLine} from './commands/arguments.js';
import {checkHost, composeSettings, resolveHost, resolvePlan, type CommonOptions} from './commands/options.js';
import {configCommand, settingDefaults} from './commands/config.js';
import type {OnConflict} from './domain.js';
import {versionLine} from './version.js';
import {usage} from './usage.js';

const options = {
	help: {type: 'boolean', short: 'h'},
	version: {type: 'boolean', short: 'v'},
	plan: {type: 'string'},
	host: {type: 'string'},
	iteration: {type: 'string'},
	mode: {type: 'string'},
	json: {type: 'boolean'},
	yes: {type: 'boolean', short: 'y'},
	'detailed-exitcode': {type: 'boolean'},
	stack: {type: 'string'},
	file: {type: 'string', short: 'f', multiple: true},
	'project-name': {type: 'string', short: 'p'},
	'env-file': {type: 'string', multiple: true},
	profile: {type: 'string', multiple: true},
	preset: {type: 'string'},
	tiers: {type: 'string'},
	group: {type: 'string', multiple: true},
	legacy: {type: 'string'},
	swarm: {type: 'string'},
	output: {type: 'string'},
	out: {type: 'string'},
	force: {type: 'boolean'},
	'probe-image': {type: 'string'},
	'on-conflict': {type: 'string'},
	format: {type: 'string'},
	prometheus: {type: 'string'},
	observed: {type: 'string'},
	'no-matrix': {type: 'boolean'},
} as const;

/**
 * Before the wizard's modules load: chalk (under Ink and ink-select-input) ignores NO_COLOR but
 * reads FORCE_COLOR on import; and Ink draws only the last frame, at exit, when it sees a CI
 * variable — but an operator at a real terminal always gets the live wizard.
 */
function prepareTerminal(): void {
	if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
	if (process.stdin.isTTY && process.stdout.isTTY) process.env.CI = 'false';
}

type ParsedValues = ReturnType<typeof parseCommandLine<typeof options>>['values'];

/** The options every command shares, checked; `given` is the --host flag's, else the operator's setting. */
function commonOptions(values: ParsedValues, given: string | undefined): CommonOptions {
	const iteration = iterationNumber(values.iteration);
	if (values.mode !== undefined && values.mode !== 'live' && values.mode !== 'recreate') {
		throw new NetmigrateError(`--mode ${values.mode} is not a mode`, {code: 'bad-input', hint: 'use --mode live or --mode recreate'});
	}
	if (values.plan === '')
		throw new NetmigrateError('--plan is empty', {code: 'bad-input', hint: 'name the plan file: --plan netmigrate.yml'});
	const host = resolveHost(given);
	checkHost(
		host,
		values.host !== undefined
			? '--host'
			: process.env.DOCKER_HOST
				? 'DOCKER_HOST'
				: given !== undefined
					? 'the host setting (`netmigrate config get host`)'
					: "the docker context's host",
	);
	return {
		plan: resolvePlan(values.plan),
		host,
		json: values.json ?? false,
		yes: values.yes ?? false,
		...(iteration === undefined ? {} : {iteration}),
		...(values.mode ? {mode: values.mode as 'live' | 'recreate'} : {}),
	};
}

function onConflictOf(value: string | undefined): {onConflict?: OnConflict} {
	if (value === undefined) return {};
	if (value !== 'stop' && value !== 'theirs' && value !== 'backup') {
		throw new NetmigrateError(`--on-conflict ${value} is not a way out of a conflict`, {
			code: 'bad-input',
			hint: 'use --on-conflict stop, theirs or backup',
		});
	}
	return {onConflict: value};
}

async function init(
	values: ParsedValues,
	host: string,
	compose: ReturnType<typeof composeSettings>,
	write: (text: string) => void,
): Promise<number> {
	const preset = values.preset ?? 'tiered';
	if (preset !== 'tiered' && preset !== 'per-app')
		throw new NetmigrateError(`--preset ${preset} is not a preset`, {
			code: 'bad-input',
			hint: 'use --preset tiered or --preset per-app',
		});
	const {initCommand} = await import('./commands/init.js');
	return initCommand(
		{
			host,
			files: values.file ?? [],
			...(compose.projectName ? {projectName: compose.projectName} : {}),
			envFiles: compose.envFiles,
			profiles: compose.profiles,
			preset,
			groups: values.group ?? [],
			force: values.force ?? false,
			...(values.stack ? {stack: values.stack} : {}),
			...(values.output ? {output: values.output} : {}),
			...(values.tiers ? {tiers: values.tiers} : {}),
			...(values.legacy ? {legacy: values.legacy} : {}),
			...(values.swarm ? {swarm: values.swarm} : {}),
		},
		write,
	);
}

/** `map` (the intended segmentation) and `verify` (the stack probed against it). */
async function segmentation(
	command: 'map' | 'verify',
	values: ParsedValues,
	common: CommonOptions,
	write: (text: string) => void,
): Promise<number> {
	if (command === 'map') {
		const {mapCommand, mapFormatOf} = await import('./commands/map.js');
		return mapCommand({...common, format: mapFormatOf(values.format)}, write);
	}
	const [{verifyCommand}, {engineObserver}] = await Promise.all([import('./commands/verify.js'), import('./observe.js')]);
	const observe = engineObserver(common.host, typeof values['probe-image'] === 'string' ? values['probe-image'] : undefined, (line) =>
		process.stderr.write(`netmigrate: ${line}\n`),
	);
	return verifyCommand(
		{...common, ...(values.prometheus ? {prometheus: values.prometheus} : {}), ...(values.observed ? {observed: values.observed} : {})},
		write,
		observe,
	);
}

/** `export nomad`: the segmented stack for the next platform (pure files; no engine). */
async function exportTo(
	target: string | undefined,
	values: ParsedValues,
	common: CommonOptions,
	write: (text: string) => void,
): Promise<number> {
	const {exportCommand} = await import('./commands/export.js');
	return exportCommand(
		target,
		{
			plan: common.plan,
			force: values.force ?? false,
			...(values.out ? {out: values.out} : {}),
			...(common.iteration === undefined ? {} : {iteration: common.iteration}),
		},
		write,
	);
}

async function main(argv: string[]): Promise<number> {
	const {values, positionals} = parseCommandLine(argv, options);
	const write = (text: string) => process.stdout.write(`${text}\n`);
	if (values.help) {
		process.stdout.write(usage);
		return 0;
	}
	if (values.version) {
		write(versionLine());
		return 0;
	}
	const [command] = positionals;
	if (command === 'config') return configCommand(positionals.slice(1), write, values.json ?? false);
	const defaults = settingDefaults({
		...(values.host ? {host: values.host} : {}),
		...(values['probe-image'] ? {probeImage: values['probe-image']} : {}),
	});
	const common = commonOptions(values, defaults.host);
	checkComposeNames(values['project-name'], values.profile ?? []);
	// Compose's own -p, --env-file and --profile, as the variables compose reads them from.
	const compose = composeSettings({
		projectName: values['project-name'],
		envFiles: values['env-file'] ?? [],
		profiles: values.profile ?? [],
	});
	Object.assign(process.env, compose.environment);
	switch (command) {
		case 'plan': {
			const {planCommand} = await import('./commands/plan.js');
			return planCommand(
				{...common, detailedExitcode: values['detailed-exitcode'] ?? false, ...(values.out ? {out: values.out} : {})},
				write,
			);
		}
		case 'init':
			return init(values, common.host, compose, write);
		case 'apply': {
			const {applyCommand} = await import('./commands/run.js');
			return applyCommand(
				{
					...common,
					...(defaults.probeImage ? {probeImage: defaults.probeImage} : {}),
					...(values['no-matrix'] ? {matrix: false} : {}),
					...(positionals[1] ? {savedPlan: positionals[1]} : {}),
				},
				write,
			);
		}
		case 'rollback': {
			const {rollbackCommand} = await import('./commands/run.js');
			return rollbackCommand({...common, ...onConflictOf(values['on-conflict'])}, write);
		}
		case 'settle': {
			const {settleCommand} = await import('./commands/run.js');
			return settleCommand(common, write);
		}
		case 'status': {
			const {statusCommand} = await import('./commands/run.js');
			return statusCommand(common, write);
		}
		case 'report': {
			const {reportCommand} = await import('./commands/run.js');
			return reportCommand(common, write);
		}
		case 'map':
		case 'verify':
			return segmentation(command, values, common, write);
		case 'force-unlock': {
			const {forceUnlockCommand} = await import('./commands/run.js');
			return forceUnlockCommand(common, positionals[1], write);
		}
		case 'export':
			return exportTo(positionals[1], values, common, write);
		case 'demo': {
			prepareTerminal();
			const {demoCommand} = await import('./commands/demo.js');
			return demoCommand(write, {yes: common.yes});
		}
		case undefined:
		case 'wizard': {
			if (!process.stdin.isTTY || !process.stdout.isTTY) {
				// No terminal (a pipe, CI, `ssh host netmigrate` without -t): line output, never raw mode.
				process.stderr.write(
					'netmigrate: no terminal for the wizard; showing the status instead (use `netmigrate apply --yes` to run headless, or `ssh -t` for the wizard)\n',
				);
				const {statusCommand} = await import('./commands/run.js');
				return statusCommand(common, write);
			}
			prepareTerminal();
			const {runWizard} = await import('./wizard.js');
			return runWizard({planFile: common.plan, host: common.host, ...(common.mode ? {mode: common.mode} : {}), yes: common.yes});
		}
		default:
			throw new NetmigrateError(`unknown command ${command}`, {code: 'bad-input', hint: unknownCommandHint(command)});
	}
}

function unknownCommandHint(command: string): string {
	const near = closest(command, ['init', 'plan', 'apply', 'rollback', 'settle', 'status', 'report', 'force-unlock', 'demo', 'wizard']);
	return near ? `did you mean \`netmigrate ${near}\`? (see \`netmigrate --help\`)` : 'see `netmigrate --help` for the commands';
}

// `netmigrate status | head -2`: a reader that stops reading is not an error of ours. Other
// write errors (EIO from a terminal that hung up) must not crash a run that is saving its state.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
	if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
});

main(process.argv.slice(2)).then(
	(code) => {
		process.exitCode = code;
	},
	(error: unknown) => {
		process.stderr.write(`${formatError(error)}\n`);
		process.exitCode = exitCodeOf(error);
	},
);
