/**
 * The plan file (`netmigrate.yml`), as a zod schema: the shape only. Whether names,
 * subnets and checks make sense against the compose project is `validate.ts`'s job.
 * zod/mini, not zod: its functions tree-shake, so the bundle carries only what this file uses
 * (full zod's methods and every locale cost ~750 kB and tens of milliseconds at start-up).
 * A namespace import, not `{z}`: esbuild drops unused exports only from `import * as`.
 */
import * as z from 'zod/mini';
import {en} from 'zod/locales';

const networkName = z
	.string()
	.check(z.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a network name is letters, digits, _ . - and starts with a letter or digit'));
const serviceName = z.string().check(z.minLength(1));
const networkList = z.array(networkName).check(z.minLength(1, 'list at least one network'));

export const networkSchema = z.strictObject({
	subnet: z.string(),
	gateway: z.optional(z.string()),
	internal: z._default(z.boolean(), false),
	/** bridge on one engine; on a swarm (`target: swarm`) overlay, whatever this says when it says bridge. */
	driver: z._default(z.string(), 'bridge'),
	labels: z._default(z.record(z.string(), z.string()), {}),
	/** Overlay only: IPsec between the swarm's nodes. */
	encrypted: z.optional(z.boolean()),
});

export const firewallSchema = z.strictObject({
	service: serviceName,
	variable: z.string().check(z.regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name, e.g. FIREWALL_OUTBOUND_SUBNETS')),
	ensure: z.array(z.string()).check(z.minLength(1, 'list the subnets the allow-list must contain')),
});

export const checkSchema = z.strictObject({
	from: serviceName,
	to: z.string().check(z.regex(/^[^:\s]+:\d{1,5}$/, 'the target is service:port, e.g. "jellyfin:8096"')),
	via: z.optional(networkName),
	expect: z._default(z.enum(['reachable', 'blocked']), 'reachable'),
	/** Seconds. */
	timeout: z._default(z.number().check(z.positive(), z.lte(120)), 3),
});

/** A host port to unpublish, `"18096"` or `18096`: a string once read. */
const hostPort = z.pipe(z.union([z.string(), z.number().check(z.int())]), z.transform(String));

export const iterationSchema = z.strictObject({
	name: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'an iteration name is lowercase letters, digits and dashes')),
	description: z.optional(z.string()),
	mode: z.optional(z.enum(['live', 'recreate'])),
	attach: z._default(z.record(serviceName, networkList), {}),
	firewall: z._default(z.array(firewallSchema), []),
	unpublish: z._default(z.record(serviceName, z.array(hostPort).check(z.minLength(1))), {}),
	detach: z._default(z.record(serviceName, networkList), {}),
	/**
	 * Labels to set on a service (its compose file, then a recreate: a running container's labels
	 * cannot change), e.g. `traefik.docker.network` for a service traefik reaches over several networks.
	 */
	labels: z._default(z.record(serviceName, z.record(z.string().check(z.minLength(1)), z.string())), {}),
	checks: z._default(z.array(checkSchema), []),
});

/**
 * What the plan says about a service across iterations. `egress: false`: it may lose its way to
 * the internet (validation then stops warning that the last iteration leaves it internal-only).
 */
export const serviceSchema = z.strictObject({
	egress: z.optional(z.boolean()),
});

const stackSchema = z.strictObject({
	root: z._default(z.string(), '.'),
	files: z._default(z.array(z.string()).check(z.minLength(1)), ['docker-compose.yml']),
	// Compose's rule for a project name (`docker compose -p`): lowercase letters, digits, `-` and `_`, a letter or digit first.
	project: z.optional(
		z
			.string()
			.check(
				z.regex(
					/^[a-z0-9][a-z0-9_-]*$/,
					'not a compose project name (lowercase letters, digits, `-` and `_`, starting with a letter or digit)',
				),
			),
	),
	/** `--env-file`s (relative to `root`), in order; none → COMPOSE_ENV_FILES → `.env`. */
	envFiles: z._default(z.array(z.string()), []),
	/** `--profile`s; none → COMPOSE_PROFILES. */
	profiles: z._default(z.array(z.string()), []),
});

export const planSchema = z.strictObject({
	version: z.literal(1, 'this netmigrate reads plan version 1'),
	stack: z._default(stackSchema, {root: '.', files: ['docker-compose.yml'], envFiles: [], profiles: []}),
	/** compose: containers on one engine (the default); swarm: the services of a stack deployed with `docker stack deploy`, named by `stack.project`. */
	target: z._default(z.enum(['compose', 'swarm']), 'compose'),
	legacy: networkName,
	networks: z._default(z.record(networkName, networkSchema), {}),
	services: z._default(z.record(serviceName, serviceSchema), {}),
	iterations: z.array(iterationSchema).check(z.minLength(1, 'a plan needs at least one iteration')),
});

/** zod/mini has no messages of its own (full zod installs English when it loads); a plan's problems are told in zod's English. */
const english = en();

/** The plan's shape checked, defaults filled in; every issue found, in English, with the offending input. */
export function parsePlanShape(input: unknown) {
	return planSchema.safeParse(input, {reportInput: true, error: english.localeError});
}

export type Plan = z.infer<typeof planSchema>;
export type PlannedNetwork = z.infer<typeof networkSchema>;
export type Iteration = z.infer<typeof iterationSchema>;
export type Check = z.infer<typeof checkSchema>;
export type FirewallRule = z.infer<typeof firewallSchema>;
