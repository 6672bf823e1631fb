import { Hono } from 'hono';
import { createTicket } from '../src/relay/calls/tickets.js';

/** A customer of the demo CRM. The numbers are sandbox test numbers: their endings choose how calls end. */
interface Contact {
  name: string;
  company: string;
  city: string;
  phone: string;
}

const CONTACTS: Contact[] = [
  { name: 'Asha Kulkarni', company: 'Kulkarni Textiles', city: 'Pune', phone: '+91 98220 41258' },
  { name: 'Rahul Mehta', company: 'Mehta Logistics', city: 'Ahmedabad', phone: '+91 98250 40001' },
  { name: 'Priya Nair', company: 'Coastal Spices', city: 'Kochi', phone: '+91 94470 40002' },
  { name: 'Vikram Singh', company: 'Singh Motors', city: 'Jaipur', phone: '+91 94140 40003' },
  { name: 'Fatima Shaikh', company: 'Crescent Pharma', city: 'Hyderabad', phone: '+91 98480 40004' },
  { name: 'Arjun Reddy', company: 'Reddy Builders', city: 'Bengaluru', phone: '+91 98450 40005' },
  { name: 'Meera Iyer', company: 'Iyer & Sons', city: 'Chennai', phone: '+91 98400 33218' },
  { name: 'Sandeep Gupta', company: 'Gupta Electronics', city: 'Delhi', phone: '+91 98110 72648' },
  { name: 'Neha Joshi', company: 'Joshi Dairy', city: 'Nagpur', phone: '+91 98230 15608' },
  { name: 'Karan Malhotra', company: 'Malhotra Travels', city: 'Chandigarh', phone: '+91 98140 52118' },
  { name: 'Ananya Das', company: 'Das Publications', city: 'Kolkata', phone: '+91 98300 64428' },
  { name: 'Imran Khan', company: 'Khan Leather', city: 'Kanpur', phone: '+91 94150 83378' },
];

/**
 * `GET /demo/contacts`: the CRM's contacts, each with a fresh ticket for one call. The
 * numbers stay here: the page receives names and tickets whose numbers are encrypted.
 */
export function contactRoutes(ticketSecret: string): Hono {
  const app = new Hono();
  app.get('/contacts', async (c) => {
    const rows = await Promise.all(
      CONTACTS.map(async ({ name, company, city, phone }) => {
        const label = `${name.split(' ')[0]} (${maskDigits(phone)})`;
        return {
          name,
          company,
          city,
          label,
          ticket: await createTicket({ secret: ticketSecret, to: phone, label, target: 'sales', ttlSeconds: 900 }),
        };
      }),
    );
    c.header('Cache-Control', 'no-store');
    return c.json({ contacts: rows });
  });
  return app;
}

/** `+91 98220 41258` → `+91 98••• ••258`. */
function maskDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '').slice(2);
  return `+91 ${digits.slice(0, 2)}••• ••${digits.slice(-3)}`;
}
