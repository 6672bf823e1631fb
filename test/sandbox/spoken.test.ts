import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSandbox, type SpokenMessage } from '../../src/sandbox/index.js';

const TOKEN = 'sandbox-test-token';

/** A sandbox in this process that reports nowhere, and what its flows said. */
function sandboxHearing(hook = true) {
  const heard: SpokenMessage[] = [];
  const sandbox = createSandbox({ token: TOKEN, ...(hook && { onSpoken: (spoken) => heard.push(spoken) }) });
  const c2c = (body: Record<string, string>) =>
    sandbox.app.request('/voice/c2c', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${TOKEN}` },
      body: JSON.stringify({ bridge: '918046000000', ...body }),
    });
  return { sandbox, heard, c2c };
}

describe('what the sandbox’s IVR flows say', () => {
  it('speaks a flow’s variables to the visitor who answered, and tells the hook', async () => {
    const { sandbox, heard, c2c } = sandboxHearing();
    try {
      const response = await c2c({ from: '919876543210', to: 'flow:220', 'variables[otp]': '482913' });
      assert.equal(response.status, 200);
      const spoken = sandbox.spoken('+91 98765 43210');
      assert.deepEqual(
        { ...spoken, at: 0 },
        {
          to: '919876543210',
          flow: 'flow:220',
          variables: { otp: '482913' },
          text: 'otp: 482913',
          at: 0,
        },
      );
      assert.deepEqual(heard, [spoken]);
    } finally {
      sandbox.close();
    }
  });

  it('serves the last message to a number as GET spoken?to=, with or without a hook', async () => {
    const { sandbox, c2c } = sandboxHearing(false);
    try {
      await c2c({ from: '919876543211', to: 'flow:220', 'variables[otp]': '111111' });
      await c2c({ from: '919876543211', to: 'flow:220', 'variables[otp]': '222222', 'variables[Name]': 'Asha' });
      const response = await sandbox.app.request('/spoken?to=%2B91%2098765%2043211');
      assert.equal(response.status, 200);
      const { spoken } = await response.json();
      assert.deepEqual([spoken.variables, spoken.text], [{ otp: '222222', Name: 'Asha' }, 'otp: 222222, Name: Asha']);
      const none = await sandbox.app.request('/spoken?to=919876543299');
      assert.equal(none.status, 404);
    } finally {
      sandbox.close();
    }
  });

  it('says nothing on a call that is not answered (…0002) or that fails, nor on a call to a number', async () => {
    const { sandbox, heard, c2c } = sandboxHearing();
    try {
      for (const ending of ['0001', '0002', '0004', '0005', '0006']) {
        await c2c({ from: `91987654${ending}`, to: 'flow:220', 'variables[otp]': '333333' });
        assert.equal(sandbox.spoken(`91987654${ending}`), undefined, ending);
      }
      await c2c({ from: '919876543212', to: '918046000100' });
      assert.equal(sandbox.spoken('919876543212'), undefined);
      assert.deepEqual(heard, []);
    } finally {
      sandbox.close();
    }
  });

  it('is misheard on a number ending 0008: every digit one off, so the code taken down is wrong', async () => {
    const { sandbox, c2c } = sandboxHearing();
    try {
      await c2c({ from: '919876540008', to: 'flow:220', 'variables[otp]': '093719' });
      assert.equal(sandbox.spoken('919876540008')?.variables.otp, '104820');
    } finally {
      sandbox.close();
    }
  });
});
