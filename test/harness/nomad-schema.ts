/**
 * What an exported file may say, as zod schemas of the JSON HashiCorp's HCL parser
 * (@cdktn/hcl2json, the Go hcl library compiled to WebAssembly) makes of it: a block is a list
 * of objects, a labelled block an object of such lists by label. Every object is strict, so a
 * field Nomad or Consul does not know fails the parse, and each field has the type of its Go
 * struct field.
 *
 * Written from the `hcl:"…"` tags of Nomad's `api` package at hashicorp/nomad commit
 * aa026cc99cfb74a77e519a1c1f0c78ba1b452705 (api/jobs.go Job, api/tasks.go TaskGroup, Task,
 * Template, RestartPolicy, VolumeRequest, VolumeMount, api/services.go Service, ServiceCheck,
 * api/consul.go ConsulConnect, ConsulSidecarService, ConsulProxy, ConsulUpstream,
 * api/resources.go NetworkResource, Port), the variable specification keys of
 * command/var_put.go (parseVariableSpecImpl), and Consul's api/config_entry_intentions.go
 * (ServiceIntentionsConfigEntry, SourceIntention) at hashicorp/consul commit
 * 0f845cfb6d1d89d90eb00c5fef8c99e3bd28749f. Only the blocks the export writes are described
 * in depth; the rest of each struct's fields are listed with their types so a valid field the
 * export might add is known. The docker driver's `config` is the driver's, not the api's:
 * its fields are from drivers/docker/config.go (image, entrypoint, args, work_dir, init).
 */
import {parse} from '@cdktn/hcl2json';
import {z} from 'zod';

/** Go's time.Duration as HCL writes it: "10s", "1m30s", "250ms". */
const duration = z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, 'a Go duration such as 10s');
const blocks = <T extends z.ZodTypeAny>(schema: T) => z.array(schema);
const labelled = <T extends z.ZodTypeAny>(schema: T) => z.record(z.string(), z.array(schema));
const stringMap = z.array(z.record(z.string(), z.string()));
const anyBlock = z.array(z.record(z.string(), z.unknown()));

const port = z.strictObject({
	static: z.number().int().optional(),
	to: z.number().int().optional(),
	host_network: z.string().optional(),
	ignore_collision: z.boolean().optional(),
});

const network = z.strictObject({
	mode: z.string().optional(),
	device: z.string().optional(),
	cidr: z.string().optional(),
	ip: z.string().optional(),
	dns: anyBlock.optional(),
	reserved_ports: labelled(port).optional(),
	port: labelled(port).optional(),
	hostname: z.string().optional(),
	mbits: z.number().int().optional(),
	cni: anyBlock.optional(),
});

const upstream = z.strictObject({
	destination_name: z.string().optional(),
	destination_namespace: z.string().optional(),
	destination_peer: z.string().optional(),
	destination_partition: z.string().optional(),
	destination_type: z.string().optional(),
	local_bind_port: z.number().int().optional(),
	datacenter: z.string().optional(),
	local_bind_address: z.string().optional(),
	local_bind_socket_path: z.string().optional(),
	local_bind_socket_mode: z.string().optional(),
	mesh_gateway: anyBlock.optional(),
	config: anyBlock.optional(),
});

const proxy = z.strictObject({
	local_service_address: z.string().optional(),
	local_service_port: z.number().int().optional(),
	expose: anyBlock.optional(),
	upstreams: blocks(upstream).optional(),
	transparent_proxy: anyBlock.optional(),
	config: anyBlock.optional(),
});

const sidecarService = z.strictObject({
	tags: z.array(z.string()).optional(),
	port: z.string().optional(),
	proxy: blocks(proxy).optional(),
	disable_default_tcp_check: z.boolean().optional(),
	meta: stringMap.optional(),
});

const connect = z.strictObject({
	native: z.boolean().optional(),
	gateway: anyBlock.optional(),
	sidecar_service: blocks(sidecarService).optional(),
	sidecar_task: anyBlock.optional(),
});

const check = z.strictObject({
	name: z.string().optional(),
	type: z.string().optional(),
	command: z.string().optional(),
	args: z.array(z.string()).optional(),
	path: z.string().optional(),
	protocol: z.string().optional(),
	port: z.string().optional(),
	expose: z.boolean().optional(),
	address_mode: z.string().optional(),
	advertise: z.string().optional(),
	interval: duration.optional(),
	timeout: duration.optional(),
	initial_status: z.string().optional(),
	notes: z.string().optional(),
	tls_server_name: z.string().optional(),
	tls_skip_verify: z.boolean().optional(),
	header: anyBlock.optional(),
	method: z.string().optional(),
	check_restart: anyBlock.optional(),
	grpc_service: z.string().optional(),
	grpc_use_tls: z.boolean().optional(),
	task: z.string().optional(),
	success_before_passing: z.number().int().optional(),
	failures_before_critical: z.number().int().optional(),
	failures_before_warning: z.number().int().optional(),
	body: z.string().optional(),
	on_update: z.string().optional(),
});

const service = z.strictObject({
	name: z.string().optional(),
	tags: z.array(z.string()).optional(),
	canary_tags: z.array(z.string()).optional(),
	enable_tag_override: z.boolean().optional(),
	port: z.string().optional(),
	address_mode: z.string().optional(),
	address: z.string().optional(),
	check: blocks(check).optional(),
	check_restart: anyBlock.optional(),
	connect: blocks(connect).optional(),
	meta: stringMap.optional(),
	canary_meta: stringMap.optional(),
	tagged_addresses: stringMap.optional(),
	task: z.string().optional(),
	on_update: z.string().optional(),
	identity: anyBlock.optional(),
	weights: anyBlock.optional(),
	provider: z.string().optional(),
	cluster: z.string().optional(),
	kind: z.string().optional(),
});

const restart = z.strictObject({
	interval: duration.optional(),
	attempts: z.number().int().optional(),
	delay: duration.optional(),
	mode: z.enum(['delay', 'fail']).optional(),
	render_templates: z.boolean().optional(),
});

const template = z.strictObject({
	source: z.string().optional(),
	destination: z.string().optional(),
	data: z.string().optional(),
	change_mode: z.enum(['noop', 'restart', 'signal', 'script']).optional(),
	change_script: anyBlock.optional(),
	change_signal: z.string().optional(),
	once: z.boolean().optional(),
	splay: duration.optional(),
	perms: z.string().optional(),
	uid: z.number().int().optional(),
	gid: z.number().int().optional(),
	left_delimiter: z.string().optional(),
	right_delimiter: z.string().optional(),
	env: z.boolean().optional(),
	vault_grace: duration.optional(),
	wait: anyBlock.optional(),
	error_on_missing_key: z.boolean().optional(),
});

const volumeMount = z.strictObject({
	volume: z.string().optional(),
	destination: z.string().optional(),
	read_only: z.boolean().optional(),
	propagation_mode: z.string().optional(),
	selinux_label: z.string().optional(),
});

const dockerConfig = z.strictObject({
	image: z.string(),
	entrypoint: z.array(z.string()).optional(),
	args: z.array(z.string()).optional(),
	work_dir: z.string().optional(),
	init: z.boolean().optional(),
});

const task = z.strictObject({
	driver: z.string().optional(),
	user: z.string().optional(),
	lifecycle: anyBlock.optional(),
	config: blocks(dockerConfig).length(1).optional(),
	constraint: anyBlock.optional(),
	affinity: anyBlock.optional(),
	env: stringMap.optional(),
	service: blocks(service).optional(),
	resources: anyBlock.optional(),
	restart: blocks(restart).optional(),
	meta: stringMap.optional(),
	kill_timeout: duration.optional(),
	logs: anyBlock.optional(),
	artifact: anyBlock.optional(),
	vault: anyBlock.optional(),
	consul: anyBlock.optional(),
	template: blocks(template).optional(),
	dispatch_payload: anyBlock.optional(),
	volume_mount: blocks(volumeMount).optional(),
	csi_plugin: anyBlock.optional(),
	leader: z.boolean().optional(),
	shutdown_delay: duration.optional(),
	kill_signal: z.string().optional(),
	kind: z.string().optional(),
	scaling: anyBlock.optional(),
	secret: anyBlock.optional(),
	identity: anyBlock.optional(),
	action: anyBlock.optional(),
	schedule: anyBlock.optional(),
});

const volume = z.strictObject({
	type: z.string().optional(),
	source: z.string().optional(),
	read_only: z.boolean().optional(),
	sticky: z.boolean().optional(),
	access_mode: z.string().optional(),
	attachment_mode: z.string().optional(),
	mount_options: anyBlock.optional(),
	per_alloc: z.boolean().optional(),
});

const group = z.strictObject({
	count: z.number().int().optional(),
	constraint: anyBlock.optional(),
	affinity: anyBlock.optional(),
	task: labelled(task).optional(),
	spread: anyBlock.optional(),
	volume: labelled(volume).optional(),
	restart: blocks(restart).optional(),
	disconnect: anyBlock.optional(),
	reschedule: anyBlock.optional(),
	ephemeral_disk: anyBlock.optional(),
	update: anyBlock.optional(),
	migrate: anyBlock.optional(),
	network: blocks(network).optional(),
	meta: stringMap.optional(),
	service: blocks(service).optional(),
	shutdown_delay: duration.optional(),
	max_run_duration: duration.optional(),
	stop_after_client_disconnect: duration.optional(),
	max_client_disconnect: duration.optional(),
	scaling: anyBlock.optional(),
	consul: anyBlock.optional(),
	prevent_reschedule_on_lost: z.boolean().optional(),
});

const job = z.strictObject({
	region: z.string().optional(),
	namespace: z.string().optional(),
	id: z.string().optional(),
	name: z.string().optional(),
	type: z.enum(['service', 'batch', 'system', 'sysbatch']).optional(),
	priority: z.number().int().optional(),
	all_at_once: z.boolean().optional(),
	datacenters: z.array(z.string()).optional(),
	node_pool: z.string().optional(),
	constraint: anyBlock.optional(),
	affinity: anyBlock.optional(),
	group: labelled(group).optional(),
	update: anyBlock.optional(),
	multiregion: anyBlock.optional(),
	spread: anyBlock.optional(),
	periodic: anyBlock.optional(),
	parameterized: anyBlock.optional(),
	reschedule: anyBlock.optional(),
	migrate: anyBlock.optional(),
	meta: stringMap.optional(),
	ui: anyBlock.optional(),
});

export const jobFileSchema = z.strictObject({job: labelled(job)});
export type ParsedJobFile = z.infer<typeof jobFileSchema>;
export type ParsedGroup = z.infer<typeof group>;

const sourceIntention = z.strictObject({
	Name: z.string(),
	Peer: z.string().optional(),
	Partition: z.string().optional(),
	Namespace: z.string().optional(),
	Action: z.enum(['allow', 'deny']).optional(),
	Permissions: z.array(z.unknown()).optional(),
	Precedence: z.number().int().optional(),
	Type: z.string().optional(),
	Description: z.string().optional(),
});

export const intentionsSchema = z.strictObject({
	Kind: z.literal('service-intentions'),
	Name: z.string(),
	Partition: z.string().optional(),
	Namespace: z.string().optional(),
	Sources: z.array(sourceIntention),
	Meta: z.record(z.string(), z.string()).optional(),
});
export type ParsedIntentions = z.infer<typeof intentionsSchema>;

export const variableSpecSchema = z.strictObject({namespace: z.string().optional(), path: z.string(), items: stringMap.optional()});

/** The file parsed by HashiCorp's parser, then checked against `schema`; throws with the first problems found. */
export async function parseChecked<T extends z.ZodTypeAny>(file: string, text: string, schema: T): Promise<z.infer<T>> {
	const parsed = await parse(file, text);
	const result = schema.safeParse(parsed);
	if (!result.success)
		throw new Error(
			`${file}: ${result.error.issues
				.slice(0, 5)
				.map((issue) => `${issue.path.join('.')}: ${issue.message}`)
				.join('; ')}`,
		);
	return result.data;
}
