import { render } from 'preact';
import { Consent } from './Consent';
import './signin.css';

render(<Consent state={new URLSearchParams(location.search).get('state') ?? ''} />, document.getElementById('app')!);
