export {};
import Docker from 'dockerode';
import {exampleMatrix} from './reachability.js';
const host = process.env.NETMIGRATE_TEST_DOCKER_HOST as string;
const docker = new Docker({socketPath: host.replace('unix://', '')});
const result = await exampleMatrix({docker, host, release: '28'} as never);
console.log(result);
