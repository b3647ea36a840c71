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

export const usage = `netmigrate — re-segment a running docker-compose stack onto new networks, one safe iteration at a time

Usage:
  netmigrate                                  the wizard (needs a terminal; without one, prints the status)
  netmigrate init [--preset tiered|per-app]   draft netmigrate.yml from the running stack
  netmigrate plan [--iteration N]             dry run: the actions and file diffs, changing nothing;
      [--out FILE]                            and save the plan (0600, no secret in clear) for \`apply FILE\`
  netmigrate apply [--iteration N] [--yes]    run the next iteration (or resume an interrupted one)
  netmigrate apply FILE [--yes]               run exactly the plan saved by \`plan --out\`, or refuse (exit 5)
                                              naming what changed since it was made
  netmigrate rollback [--iteration N] [--yes] undo an iteration: files byte-identical, networks as before;
      [--on-conflict stop|theirs|backup]      a file you changed since keeps your changes (merged)
  netmigrate settle [--yes]                   after a live iteration: recreate the services whose compose files
                                              changed, one at a time (a plain \`docker compose up -d\` would
                                              recreate them all at once)
  netmigrate status                           every iteration's state, and who holds the lock
  netmigrate report [--iteration N]           print the last report
  netmigrate map [--iteration N]              who is on which network now, and after iteration N (joined +,
      [--format text|json|mermaid]            left -; followers under their owner; egress and internal marked)
  netmigrate verify [--json]                  every pair of the stack's network namespaces probed against the
      [--prometheus FILE]                     plan after the last done iteration: exit 0 as intended, 1 on any
                                              mismatch; FILE: a node-exporter textfile (.prom)
  netmigrate force-unlock <id>                remove a lock whose run is gone (id from status)
  netmigrate demo                             the wizard on a private engine running the bundled example stack
  netmigrate config list|get|set|unset [key] [value]
                                              your own defaults (keys: host, probe-image, glyphs), and the
                                              stacks netmigrate has run in, as \`git config\` keeps them
  netmigrate export nomad [--out DIR]         the segmented stack as Nomad jobs, Consul intentions and the clients'
      [--iteration N] [--force]               nftables rules, after iteration N (default: the last one done);
                                              not validated against a Nomad server

Options:
  --plan <file>            the plan (default ./netmigrate.yml)
  -p, --project-name <n>   the compose project name, as \`docker compose -p\` (also COMPOSE_PROJECT_NAME)
  --env-file <file>        an env file for interpolation, as compose's (repeatable; also COMPOSE_ENV_FILES)
  --profile <name>         an active compose profile (repeatable; also COMPOSE_PROFILES)
  --host <socket|url>      the Docker engine (default $DOCKER_HOST, else unix:///var/run/docker.sock)
  --iteration <N>          which iteration (1-based)
  --mode live|recreate     multi-home running containers live (default) or by rolling recreate
  --json                   one JSON document/event per line instead of text
  -y, --yes                apply/rollback without asking before each step that changes the host
  --probe-image <image>    image for connectivity probes, already on the engine (needs sh, nc, wget, nslookup,
                           timeout, awk, ts; default: a busybox the engine has, else one imported offline)
  --detailed-exitcode      plan: exit 2 when changes are pending, 0 when none
  --out <file>             plan: save the plan for \`netmigrate apply <file>\` (hashes of the files and the engine's
                           picture it was made from; apply runs exactly it or refuses with exit 5)
  --format <f>             map: text (default), json or mermaid (a flowchart for your docs)
  --prometheus <file>      verify: also write the result as a node-exporter textfile
  --observed <file>        verify: render a saved result (verify --json's output) instead of probing
  --on-conflict <how>      rollback, for a file you changed on or beside lines netmigrate changed: stop before
                           any change (default), theirs (keep your file as it is; its networks on the engine are
                           still undone), backup (restore the backup; your copy saved in .netmigrate/drift/)
  -h, --help               show this help
  -v, --version            print the version, its commit and the kind of build

init options:
  --stack <folder>, -f <file>   the stack (default: the current folder, else the running project);
                                -f is repeatable; without it, COMPOSE_FILE or compose's default file
                                and its override file; -f, --env-file and --profile are written to
                                the plan's \`stack:\` so every later command reads the same files
  --preset tiered|per-app       tiers by well-known images (default), or one network per app
  --tiers <file>                extra keyword → tiers table (YAML), tried before the built-in one
  --group <name=app1,app2>      per-app: apps sharing one network (repeatable)
  --legacy <network>            the flat network to migrate from (default: the most used one)
  --swarm <stack>               a swarm stack deployed under that name (run against a manager): the
                                draft says target: swarm; the file is -f, else compose's default,
                                else docker-stack.yml or stack.yml
  --output <file>, --force      where to write; replace an existing plan

Environment:
  DOCKER_HOST              the engine, when --host is not given: unix://, tcp:// (TLS below) or ssh://user@host
  DOCKER_CONTEXT           else this docker context (else the CLI config's current context), as the docker CLI picks it
  DOCKER_CONFIG            the docker CLI's config folder: its cli-plugins/ decide which compose runs
  DOCKER_TLS_VERIFY, DOCKER_CERT_PATH   TLS for a tcp:// engine (ca.pem, cert.pem, key.pem), for netmigrate and compose
  SSH_AUTH_SOCK            the ssh agent for an ssh:// engine, reached with the system ssh as the docker CLI does
                           (~/.ssh/config and known_hosts apply; no prompts)
  COMPOSE_PROJECT_NAME, COMPOSE_FILE, COMPOSE_PATH_SEPARATOR, COMPOSE_ENV_FILES, COMPOSE_PROFILES
                           read as compose reads them (the shell wins over .env) and passed on to compose
  NO_COLOR                 no colours; LC_ALL / LC_CTYPE / LANG and TERM choose Unicode or ASCII glyphs
  NETMIGRATE_GLYPHS        ascii|unicode, overriding that guess
  NETMIGRATE_PROBE_IMAGE   the probe image, when --probe-image is not given
  NETMIGRATE_CONFIG_DIR    where \`netmigrate config\` keeps its settings.json (default ~/.config/netmigrate)
  NETMIGRATE_DOCKER_CLI    the docker CLI that runs compose (default: docker on PATH)

A flag beats the environment, which beats a setting (\`netmigrate config\`), which beats the default.

Exit codes: 0 done, 1 failed (state saved), 2 bad input, 3 locked, 4 engine unreachable,
5 a saved plan no longer holds (nothing changed). \`plan --detailed-exitcode\`: 2 when changes are pending.
`;

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
	if (values.plan === '') throw new NetmigrateError('--plan is empty', {code: 'bad-input', hint: 'name the plan file: --plan netmigrate.yml'});
	const host = resolveHost(given);
	checkHost(host, values.host !== undefined ? '--host' : process.env.DOCKER_HOST ? 'DOCKER_HOST' : given !== undefined ? 'the host setting (`netmigrate config get host`)' : 'the docker context\'s host');
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
		throw new NetmigrateError(`--on-conflict ${value} is not a way out of a conflict`, {code: 'bad-input', hint: 'use --on-conflict stop, theirs or backup'});
	}
	return {onConflict: value};
}

async function init(values: ParsedValues, host: string, compose: ReturnType<typeof composeSettings>, write: (text: string) => void): Promise<number> {
	const preset = values.preset ?? 'tiered';
	if (preset !== 'tiered' && preset !== 'per-app') throw new NetmigrateError(`--preset ${preset} is not a preset`, {code: 'bad-input', hint: 'use --preset tiered or --preset per-app'});
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
async function segmentation(command: 'map' | 'verify', values: ParsedValues, common: CommonOptions, write: (text: string) => void): Promise<number> {
	if (command === 'map') {
		const {mapCommand, mapFormatOf} = await import('./commands/map.js');
		return mapCommand({...common, format: mapFormatOf(values.format)}, write);
	}
	const [{verifyCommand}, {engineObserver}] = await Promise.all([import('./commands/verify.js'), import('./observe.js')]);
	const observe = engineObserver(common.host, typeof values['probe-image'] === 'string' ? values['probe-image'] : undefined);
	return verifyCommand({...common, ...(values.prometheus ? {prometheus: values.prometheus} : {}), ...(values.observed ? {observed: values.observed} : {})}, write, observe);
}

/** `export nomad`: the segmented stack for the next platform (pure files; no engine). */
async function exportTo(target: string | undefined, values: ParsedValues, common: CommonOptions, write: (text: string) => void): Promise<number> {
	const {exportCommand} = await import('./commands/export.js');
	return exportCommand(target, {plan: common.plan, force: values.force ?? false, ...(values.out ? {out: values.out} : {}), ...(common.iteration === undefined ? {} : {iteration: common.iteration})}, write);
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
	const defaults = settingDefaults({...(values.host ? {host: values.host} : {}), ...(values['probe-image'] ? {probeImage: values['probe-image']} : {})});
	const common = commonOptions(values, defaults.host);
	checkComposeNames(values['project-name'], values.profile ?? []);
	// Compose's own -p, --env-file and --profile, as the variables compose reads them from.
	const compose = composeSettings({projectName: values['project-name'], envFiles: values['env-file'] ?? [], profiles: values.profile ?? []});
	Object.assign(process.env, compose.environment);
	switch (command) {
		case 'plan': {
			const {planCommand} = await import('./commands/plan.js');
			return planCommand({...common, detailedExitcode: values['detailed-exitcode'] ?? false, ...(values.out ? {out: values.out} : {})}, write);
		}
		case 'init':
			return init(values, common.host, compose, write);
		case 'apply': {
			const {applyCommand} = await import('./commands/run.js');
			return applyCommand({...common, ...(defaults.probeImage ? {probeImage: defaults.probeImage} : {}), ...(positionals[1] ? {savedPlan: positionals[1]} : {})}, write);
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
				process.stderr.write('netmigrate: no terminal for the wizard; showing the status instead (use `netmigrate apply --yes` to run headless, or `ssh -t` for the wizard)\n');
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
