import {
  Sidebar,
  SidebarDivider,
  SidebarItem,
  SidebarSpace,
} from '@backstage/core-components';
import { configApiRef, useApi } from '@backstage/frontend-plugin-api';
import type {
  NavContentComponentProps,
  NavContentNavItem,
} from '@backstage/plugin-app-react';
import { NotificationsSidebarItem } from '@backstage/plugin-notifications';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from 'react-router-dom';

const useStyles = makeStyles(theme => ({
  brand: {
    display: 'flex',
    alignItems: 'center',
    gap: theme.spacing(1),
    height: 3 * theme.spacing(3),
    padding: theme.spacing(0, 2.5),
    color: theme.palette.navigation.selectedColor,
    fontWeight: 700,
    fontSize: '1.1rem',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
    textDecoration: 'none',
  },
  mark: { width: 28, height: 28, flexShrink: 0 },
}));

function BrandMark(props: { className: string }) {
  return (
    <svg className={props.className} viewBox="0 0 32 32" aria-hidden>
      <rect width="32" height="32" rx="6" fill="#f2f4f8" />
      <path d="M9 28 L14 4 H18 L23 28 Z" fill="#0b3d91" />
      <path
        d="M15.2 8h1.6v4h-1.6zM15.2 15h1.6v4h-1.6zM15.2 22h1.6v4h-1.6z"
        fill="#f2f4f8"
      />
    </svg>
  );
}

function NavItem(item: NavContentNavItem) {
  return (
    <SidebarItem to={item.href} icon={() => item.icon} text={item.title} />
  );
}

/** The sidebar: our brand (a link home), Home, the catalog and Create first, settings last. */
export function PortalNav(props: NavContentComponentProps) {
  const classes = useStyles();
  const title =
    useApi(configApiRef).getOptionalString('app.title') ?? 'Paved Road';
  const home = props.navItems.take('page:home');
  const items = props.navItems.withComponent(NavItem);
  const catalog = items.take('page:catalog');
  const create = items.take('page:scaffolder');
  const settings = items.take('page:user-settings');
  // reached through links only (a task's Repository, a service's runbook): no entry
  items.take('page:scaffolder/repositories');
  // drawn by NotificationsSidebarItem below, with the unread count and live pop-ups
  const notifications = items.take('page:notifications');
  return (
    <Sidebar>
      <Link
        to={home?.href ?? '/'}
        className={classes.brand}
        aria-label={`${title}: home`}
      >
        <BrandMark className={classes.mark} />
        <span>{title}</span>
      </Link>
      <SidebarDivider />
      {home && <NavItem {...home} />}
      {catalog}
      {create}
      {items.rest({ sortBy: 'title' })}
      <SidebarSpace />
      <SidebarDivider />
      {notifications && <NotificationsSidebarItem />}
      {settings}
    </Sidebar>
  );
}
