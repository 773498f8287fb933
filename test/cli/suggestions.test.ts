// "Did you mean" for names typed by hand: the closest known name by edit distance when it
// is a slip, and nothing when no name is close (a suggestion must never be a wild guess).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closest } from '../../src/suggest.js';
import { runCli } from './run-cli.js';

test('closest: slips of case, separators, one letter or a swap; nothing for unrelated words', () => {
  const data = ['ring8', 'grid25', 'gauss1d', 'spiral', 'moons', 'mnist', 'fashion-mnist', 'kmnist', 'cifar10'];
  assert.equal(closest('fashion_mnist', data), 'fashion-mnist');
  assert.equal(closest('Fashion MNIST', data), 'fashion-mnist');
  assert.equal(closest('cifar-10', data), 'cifar10');
  assert.equal(closest('grdi25', data), 'grid25'); // a swap
  assert.equal(closest('rnig8', data), 'ring8');
  assert.equal(closest('imagenet', data), undefined);
  assert.equal(closest('x', data), undefined);
  const games = ['nonsaturating', 'minimax', 'lsgan', 'wgan', 'wgan-gp', 'hinge'];
  assert.equal(closest('wgangp', games), 'wgan-gp');
  assert.equal(closest('non-saturating', games), 'nonsaturating');
  assert.equal(closest('hinje', games), 'hinge');
  assert.equal(closest('vanilla', games), undefined);
});

test('the CLI suggests the name a mistyped data set, loss, model or metric was meant to be', async () => {
  const cases: [string[], RegExp][] = [
    [['train', '--data', 'fashion_mnist'], /received "fashion_mnist"\. Did you mean "fashion-mnist"\?/],
    [['train', '--loss', 'wgangp'], /received "wgangp"\. Did you mean "wgan-gp"\?/],
    [['train', '--model', 'dcgna'], /received "dcgna"\. Did you mean "dcgan"\?/],
    [['eval', '--samples', 'x.npy', '--data', 'mnist', '--metrics', 'fid10,kid'], /Did you mean "fid10k"\?/],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(args)));
  cases.forEach(([args, message], i) => {
    assert.notEqual(results[i].status, 0, args.join(' '));
    assert.match(results[i].stderr, message, `${args.join(' ')}: ${results[i].stderr}`);
  });
  // No suggestion when nothing is close.
  const far = await runCli(['train', '--loss', 'vanilla']);
  assert.notEqual(far.status, 0);
  assert.doesNotMatch(far.stderr, /Did you mean/);
});
