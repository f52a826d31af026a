/**
 * No Docker engine runs in CI, so the image recipe is checked as text: the compiler runs in
 * the build stage only, and the worker the image starts is plain node (signals reach it).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '..', '..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('Dockerfile and bin/amplify-migrate', () => {
  const stages = read('Dockerfile').split(/^FROM /m).slice(1);

  it('compiles in a build stage and runs dist/ without the compiler', () => {
    expect(stages).toHaveLength(2);
    const [build, runtime] = stages;
    expect(build).toMatch(/tsc -p tsconfig\.build\.json/);
    expect(runtime).toMatch(/npm ci --omit=dev/);
    expect(runtime).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(runtime).not.toMatch(/tsc|tsx|COPY (src|client|worker|workflows|activities) /);
    expect(runtime).toMatch(/ENTRYPOINT \["\/app\/bin\/amplify-migrate"\]/);
  });

  it('the compiler and tsx are development dependencies only', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).not.toEqual(expect.arrayContaining(['typescript']));
    expect(Object.keys(pkg.dependencies)).not.toEqual(expect.arrayContaining(['tsx']));
    expect(pkg.devDependencies).toHaveProperty('typescript');
  });

  it('bin/amplify-migrate execs node on the compiled CLI (its PID is the process itself)', () => {
    const bin = read('bin/amplify-migrate');
    expect(bin).toMatch(/^exec node "\$cli" "\$@"$/m);
    expect(bin).not.toMatch(/tsx/);
  });
});
