/**
 * The compose model's words: a file as read, a network declaration, a service as compose
 * computes it (after merging every `-f` file, `extends:` and interpolation) and where each
 * part of it is written, so an edit lands in the file compose reads the value from.
 */
import type {Document, LineCounter, YAMLMap} from 'yaml';
import type {EnvFile} from './envfile.js';
import type {Variables} from './interpolate.js';

/**
 * Texts that stand in for files on disk, by absolute path: the dry run of a later iteration
 * reads the stack as the earlier ones, not applied yet, would leave it — without writing it.
 */
export type FileTexts = ReadonlyMap<string, string>;

export type LoadOptions = {
	/** Variables of the shell netmigrate runs in; they win over every env file. */
	environment?: Variables;
	/** `-p`: wins over COMPOSE_PROJECT_NAME, `name:` and the folder. */
	projectName?: string;
	/** `--env-file`s, relative to the root; none → COMPOSE_ENV_FILES → `.env`. */
	envFiles?: string[];
	/** `--profile`s; none → COMPOSE_PROFILES. */
	profiles?: string[];
	/** Compose and env files to read from these texts instead of the disk. */
	texts?: FileTexts;
};

export type ComposeFile = {
	path: string;
	text: string;
	document: Document;
	lines: LineCounter;
	mode: number;
	/** The file that included this one (or that a service `extends:` from), for messages. */
	includedFrom?: string;
};

/** Where a value is written: file, 1-based line and column; `via: 'extends'` when it comes from a base service. */
export type Origin = {file: string; line?: number; column?: number; via?: 'extends'};

export type NetworkDeclaration = {key: string; name: string; external: boolean; subnets: string[]; raw: Record<string, unknown>};

export type EnvironmentEntry = {key: string; value: string | undefined; form: 'list' | 'map'};

export type ServiceOrigins = {
	/** Every definition of the service compose merges, in order: `extends:` bases first, then each `-f` file. */
	layers: Origin[];
	/** The last definition that writes `networks:` (undefined: the service is on the implicit default network). */
	networks?: Origin;
	/** Per network key: every entry that names it (a detach must remove it from each). */
	networkEntries: Record<string, Origin[]>;
	/** Per variable: the entry whose value compose uses (the last one merged). */
	environment: Record<string, Origin>;
	/** Each `ports:` entry, in merged order (`entry`: the port as compose reads it, JSON). */
	ports: Array<Origin & {entry?: string}>;
};

export type ServiceModel = {
	name: string;
	/** The file an edit of the service's `networks:` lands in (the last `-f` file that writes them, else the first defining the service). */
	file: string;
	/** The service's own mapping node in `file`. */
	node: YAMLMap;
	/** The service after merging files, `extends:` and interpolation, as compose sees it. */
	config: Record<string, unknown>;
	/** Engine names of the networks the service joins (compose keys resolved through `name:`). */
	networks: string[];
	/** Compose keys (`default` when the service has no `networks:`). */
	networkKeys: string[];
	/**
	 * The service of this project whose network namespace this one shares: `service:gluetun`,
	 * or `container:<name>` where the name is one of this project's containers.
	 */
	namespaceOf?: string;
	/** `container:<name>` as written: a container (maybe of another project) whose namespace this one shares. */
	namespaceContainer?: string;
	/** Set when `container:<name>` names no container of this project: the owner lives outside it. */
	namespaceOutside?: boolean;
	networkModeOther?: string;
	environment: EnvironmentEntry[];
	envFiles: string[];
	image?: string;
	dependsOn: string[];
	labels: Record<string, string>;
	/** Where each part is written. */
	origins: ServiceOrigins;
	/** `profiles:` as written; the service is inactive unless one of them is active (or it has none). */
	profiles: string[];
	/** False for a service whose profiles are all inactive: compose neither starts nor expects it. */
	active: boolean;
	/** `extends:` as resolved: the base service and the file it is in. */
	extends?: {service: string; file: string};
	/** Why a change of this service's networks cannot be written safely, and the fix, when that is so. */
	notEditable?: {reason: string; hint: string};
};

export type ProjectNameSource = 'option' | 'environment' | 'env-file' | 'name' | 'folder';

export type ComposeModel = {
	root: string;
	/** The `-f` files as given (relative to `root`), or as compose found them (with the override file). */
	rootFiles: string[];
	/** Absolute paths of every `-f` file in merge order: what a `docker compose -f … up` must be given. */
	composeFiles: string[];
	/**
	 * An override file compose reads when run without `-f` that the given files leave out
	 * (e.g. `files: [docker-compose.yml]` beside a docker-compose.override.yml).
	 */
	unlistedOverride?: string;
	projectName: string;
	projectNameFrom: ProjectNameSource;
	/** Compose's project directory: the folder of the first file (relative paths, `.env`, the default name). */
	projectDirectory: string;
	/** Every file read: `-f` files, includes and `extends: file:` bases. */
	files: Map<string, ComposeFile>;
	/** The first env file read for interpolation (`.env`, or the first `--env-file`). */
	env?: EnvFile;
	/** Every env file read for interpolation, in order (later ones win, the shell wins over all). */
	envFiles: EnvFile[];
	/** Active profiles (`--profile`, else COMPOSE_PROFILES); `*` activates all. */
	profiles: string[];
	variables: Variables;
	services: Map<string, ServiceModel>;
	/** Per file: its top-level `networks:` declarations by compose key. */
	networks: Map<string, Map<string, NetworkDeclaration>>;
	/** The project's networks by compose key after merging every file (the last declaration wins). */
	declaredNetworks: Map<string, NetworkDeclaration & {file: string}>;
	/** Compose's warnings on reading the files (a variable set nowhere defaults to a blank string). */
	warnings: string[];
	/** How it was read (root, files as given, options), so it can be read again with other texts. */
	loadedWith: {root: string; rootFiles: string[]; options: LoadOptions};
};
