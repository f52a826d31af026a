/** No Docker engine runs in CI, so the compose file is checked for its services and wiring. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTE_FLAGS } from '../../workflows/searchAttributes';

interface Service {
  image?: string;
  build?: string;
  ports?: string[];
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  command?: string[] | string;
  entrypoint?: string[];
  volumes?: string[];
}

const compose = parse(readFileSync(path.join(__dirname, '..', '..', 'docker-compose.yml'), 'utf8')) as { services: Record<string, Service> };
const services = compose.services;

describe('docker-compose.yml', () => {
  it('has Temporal on PostgreSQL, the Web UI, a moto server and the worker', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['moto', 'postgresql', 'temporal', 'temporal-admin-tools-setup', 'temporal-setup', 'temporal-ui', 'worker'].sort(),
    );
    expect(services.temporal.environment?.DB).toBe('postgres12');
    expect(services.temporal.environment?.POSTGRES_SEEDS).toBe('postgresql');
  });

  it('publishes the gRPC, UI and moto ports', () => {
    expect(services.temporal.ports).toContain('7233:7233');
    expect(services['temporal-ui'].ports).toContain('8080:8080');
    expect(services.moto.ports).toContain('5000:5000');
  });

  it('serves moto as the local stack does: the pinned release, one request at a time, S3\'s conditional copy', () => {
    const setup = readFileSync(path.join(__dirname, '..', '..', 'scripts', 'setup.sh'), 'utf8');
    const pinned = /MOTO_VERSION="?([0-9.]+)/.exec(setup)?.[1];
    expect(services.moto.image).toBe(`motoserver/moto:${pinned}`);
    expect(services.moto.volumes).toContain('./scripts/moto_serial_server.py:/amplify-migrate/moto_serial_server.py:ro');
    expect(services.moto.entrypoint).toEqual(['python', '/amplify-migrate/moto_serial_server.py', '-H', '0.0.0.0', '-p', '5000']);
  });

  it('wires the worker to Temporal and the emulator, after the search attributes exist', () => {
    const worker = services.worker;
    expect(worker.build).toBe('.');
    expect(worker.environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(worker.environment?.AWS_ENDPOINT_URL).toBe('http://moto:5000');
    expect(worker.depends_on?.['temporal-setup']?.condition).toBe('service_completed_successfully');
    expect(services['temporal-ui'].environment?.TEMPORAL_ADDRESS).toBe('temporal:7233');
  });

  it('registers every search attribute the workflows set', () => {
    const command = String(services['temporal-setup'].command);
    for (const flag of SEARCH_ATTRIBUTE_FLAGS) {
      const [name, type] = flag.split('=');
      expect(command).toContain(`--name ${name} --type ${type}`);
    }
  });
});
