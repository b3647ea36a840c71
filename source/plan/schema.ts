/**
 * The plan file (`netmigrate.yml`), as a zod schema: the shape only. Whether names,
 * subnets and checks make sense against the compose project is `validate.ts`'s job.
 */
import {z} from 'zod';

const networkName = z
	.string()
	.regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'a network name is letters, digits, _ . - and starts with a letter or digit');
const serviceName = z.string().min(1);
const networkList = z.array(networkName).min(1, 'list at least one network');

export const networkSchema = z.strictObject({
	subnet: z.string(),
	gateway: z.string().optional(),
	internal: z.boolean().default(false),
	/** bridge on one engine; on a swarm (`target: swarm`) overlay, whatever this says when it says bridge. */
	driver: z.string().default('bridge'),
	labels: z.record(z.string(), z.string()).default({}),
	/** Overlay only: IPsec between the swarm's nodes. */
	encrypted: z.boolean().optional(),
});

export const firewallSchema = z.strictObject({
	service: serviceName,
	variable: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name, e.g. FIREWALL_OUTBOUND_SUBNETS'),
	ensure: z.array(z.string()).min(1, 'list the subnets the allow-list must contain'),
});

export const checkSchema = z.strictObject({
	from: serviceName,
	to: z.string().regex(/^[^:\s]+:\d{1,5}$/, 'the target is service:port, e.g. "jellyfin:8096"'),
	via: networkName.optional(),
	expect: z.enum(['reachable', 'blocked']).default('reachable'),
	/** Seconds. */
	timeout: z.number().positive().max(120).default(3),
});

export const iterationSchema = z.strictObject({
	name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'an iteration name is lowercase letters, digits and dashes'),
	description: z.string().optional(),
	mode: z.enum(['live', 'recreate']).optional(),
	attach: z.record(serviceName, networkList).default({}),
	firewall: z.array(firewallSchema).default([]),
	unpublish: z.record(serviceName, z.array(z.union([z.string(), z.number().int()]).transform(String)).min(1)).default({}),
	detach: z.record(serviceName, networkList).default({}),
	/**
	 * Labels to set on a service (its compose file, then a recreate: a running container's labels
	 * cannot change), e.g. `traefik.docker.network` for a service traefik reaches over several networks.
	 */
	labels: z.record(serviceName, z.record(z.string().min(1), z.string())).default({}),
	checks: z.array(checkSchema).default([]),
});

/**
 * What the plan says about a service across iterations. `egress: false`: it may lose its way to
 * the internet (validation then stops warning that the last iteration leaves it internal-only).
 */
export const serviceSchema = z.strictObject({
	egress: z.boolean().optional(),
});

export const planSchema = z.strictObject({
	version: z.literal(1, 'this netmigrate reads plan version 1'),
	stack: z
		.strictObject({
			root: z.string().default('.'),
			files: z.array(z.string()).min(1).default(['docker-compose.yml']),
			project: z.string().optional(),
			/** `--env-file`s (relative to `root`), in order; none → COMPOSE_ENV_FILES → `.env`. */
			envFiles: z.array(z.string()).default([]),
			/** `--profile`s; none → COMPOSE_PROFILES. */
			profiles: z.array(z.string()).default([]),
		})
		.default({root: '.', files: ['docker-compose.yml'], envFiles: [], profiles: []}),
	/** compose: containers on one engine (the default); swarm: the services of a stack deployed with `docker stack deploy`, named by `stack.project`. */
	target: z.enum(['compose', 'swarm']).default('compose'),
	legacy: networkName,
	networks: z.record(networkName, networkSchema).default({}),
	services: z.record(serviceName, serviceSchema).default({}),
	iterations: z.array(iterationSchema).min(1, 'a plan needs at least one iteration'),
});

export type Plan = z.infer<typeof planSchema>;
export type PlannedNetwork = z.infer<typeof networkSchema>;
export type Iteration = z.infer<typeof iterationSchema>;
export type Check = z.infer<typeof checkSchema>;
export type FirewallRule = z.infer<typeof firewallSchema>;
