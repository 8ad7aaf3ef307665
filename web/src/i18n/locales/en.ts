import type { Messages } from '../messages'

// English — the second UI language.
const en: Messages = {
  app: {
    name: 'zhuanban · Key Project Service Platform',
    shortName: 'zhuanban',
    serverVersion: 'Server {version}',
    serverTooltip: '{name} {version} · database {database}',
    collapseMenu: 'Collapse menu',
    expandMenu: 'Expand menu',
    language: 'Language',
    home: 'Home',
  },
  page: {
    underConstruction: 'Under construction',
    underConstructionHint: 'This section is being built; the features above will be available here.',
    backHome: 'Back to the cockpit',
  },
  notFound: {
    title: 'Page not found',
    message: 'The page you asked for does not exist. The link may be wrong or the page may have moved.',
    path: 'Requested address: {path}',
    home: 'Go to the home page',
  },
  section: {
    cockpit: {
      title: 'Cockpit',
      alias: 'Battle map',
      desc: 'Key figures on one screen — projects, total and annual planned investment, start rate, problems solved — with the stage funnel, breakdowns by industry, level and unit, the monthly plan-vs-actual curve, warning lists, a project map and rankings.',
    },
    projects: {
      title: 'Projects',
      alias: 'Full life cycle',
      desc: 'Key projects from planning through negotiation, signing, preparation and construction to completion and production, every stage change dated and audited; each with its responsible leader, department and liaison.',
    },
    enterprises: {
      title: 'Enterprises',
      alias: 'One file per enterprise',
      desc: 'Profiles of the enterprises behind the projects, linked to their projects, requests, service records and satisfaction ratings.',
    },
    nodes: {
      title: 'Node plans',
      alias: 'Backward scheduling',
      desc: 'Per-project milestone plans from category templates (signing, land supply, planning permit, construction permit, start, topping-out, acceptance, production…), scheduled backwards from the target date in working days; red/yellow/green warnings, a slipped node pushes its successors; Gantt view.',
    },
    problems: {
      title: 'Problem ledger',
      alias: 'Requests · close-out',
      desc: 'Enterprise requests and project problems handled to closure: received → assigned → in progress → resolved → verified and closed, with category deadlines, escalation up the tree or to the joint meeting, a full timeline and satisfaction ratings.',
    },
    services: {
      title: 'Service records',
      alias: 'Hands-on service',
      desc: 'Visits, phone follow-ups, site inspections, accompanied procedures, help with licences and on-site office meetings — who, when, which enterprise or project — counted by type and unit.',
    },
    approvals: {
      title: 'Approvals',
      alias: 'Handled on your behalf',
      desc: 'The procedures each project needs (filing, land, planning permit, drawing review, construction permit, EIA…), their state, the staff member handling them for the enterprise, and the days taken.',
    },
    reports: {
      title: 'Investment reports',
      alias: 'Monthly',
      desc: 'Monthly investment per project — this month, year to date, visual progress with photos — due by a set day with reminders, measured against the annual plan.',
    },
    meetings: {
      title: 'Dispatch meetings',
      alias: 'Weekly dispatch',
      desc: 'Daily reminders, weekly dispatch, monthly inventory, quarterly assessment: the system drafts the weekly agenda (overdue nodes, problems past deadline, projects behind plan, escalations); decisions in the minutes become tracked tasks.',
    },
    assessment: {
      title: 'Assessment',
      alias: 'Quarterly ranking',
      desc: 'Units scored and ranked on start rate, investment completion, node punctuality, problem resolution and timeliness, satisfaction and reporting punctuality, with configurable weights; targets such as “start rate above 80% in H1” tracked with progress.',
    },
    attraction: {
      title: 'Investment attraction',
      alias: 'Leads · talks · signed',
      desc: 'Leads through negotiation to signing, when they become projects, with amounts and industry-chain position, tracked against targets such as “one new project above ¥1 bn signed in Q1”.',
    },
    resources: {
      title: 'Idle land & plants',
      alias: 'Resource ledgers',
      desc: 'Ledgers of underused land and idle plants, matched to leads and projects; warnings for land acquired but not started in time.',
    },
    land: {
      title: 'Land acquisition',
      alias: 'One plan per household',
      desc: 'Per project: households in total, signed and cleared, reported daily and summed up weekly, with notes for each household.',
    },
    inbox: {
      title: 'Notifications',
      alias: 'Daily digest',
      desc: 'In-app inbox and daily to-do digest, with outgoing messages to DingTalk, WeCom and Feishu group robots.',
    },
    system: {
      title: 'System',
      alias: '',
      desc: 'Organisation, users, roles, working calendar and logs.',
    },
    orgUnits: {
      title: 'Org units',
      alias: 'Data scope',
      desc: 'The organisation tree — city, district or zone, town, street or park, community or village, with departments at any level; users see the records of their unit and below.',
    },
    users: {
      title: 'Users',
      alias: '',
      desc: 'User accounts with their unit and roles: leaders, bureau, towns, departments, liaisons and enterprise users.',
    },
    roles: {
      title: 'Roles',
      alias: '',
      desc: 'Roles with their menu and action permissions and data scope (own unit and below, own department, own enterprise only).',
    },
    calendar: {
      title: 'Working calendar',
      alias: 'Holidays & swapped days',
      desc: 'National holidays and swapped working weekends, used to count node durations and deadlines in working days; editable by the admin.',
    },
    auditLog: {
      title: 'Audit log',
      alias: '',
      desc: 'Every change: who, when, before and after.',
    },
    loginLog: {
      title: 'Login log',
      alias: '',
      desc: 'Sign-ins and sign-outs: account, time, IP address and result.',
    },
  },
}

export default en
