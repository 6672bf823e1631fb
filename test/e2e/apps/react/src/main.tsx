// A React 19 app using the widget as the README shows: the element and its typed events.
import { useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import 'mt-click-to-call/define';
import 'mt-click-to-call/react';
import type { MtCallEndEvent, MtClickToCall } from 'mt-click-to-call';

function App() {
  const [ended, setEnded] = useState('');
  const widget = useRef<MtClickToCall>(null);
  return (
    <main>
      <mt-click-to-call
        ref={widget}
        endpoint="/demo/states/completed"
        target="sales"
        theme="light"
        button-label="Ring me"
        variables={{ Name: 'Asha' }}
        onmt-call-end={(event: MtCallEndEvent) => setEnded(`${event.state} ${widget.current?.callId ?? ''}`)}
      />
      <button type="button" onClick={() => void widget.current?.open()}>
        Call us
      </button>
      <p id="ended">{ended}</p>
    </main>
  );
}

createRoot(document.getElementById('root')!).render(<App />);
