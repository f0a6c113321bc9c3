//! `GET /datasets/{id}/lineage`: the versions a dataset was built from (up) and the versions
//! built from it (down), as nodes and edges, through a recursive CTE bounded by `depth`.

use std::collections::{BTreeMap, HashMap};

use datamill_db::entity::{dataset, dataset_group, dataset_lineage};
use sea_orm::{ColumnTrait, DbBackend, EntityTrait, QueryFilter, Statement};
use uuid::Uuid;

use crate::dto::{Lineage, LineageDirection, LineageEdge, LineageNode, LineageQuery};
use crate::error::ApiError;
use crate::service::{Registry, bad_query, dataset_dto};

/// How deep a lineage query may go: beyond this the graph is a history, not a lineage view.
pub const MAX_DEPTH: u32 = 50;
const DEFAULT_DEPTH: u32 = 10;

const EDGES: &str = r"
WITH RECURSIVE
up(edge_id, node, depth) AS (
    SELECT l.id, l.parent_id, 1 FROM dataset_lineage l WHERE l.child_id = $1 AND $2
    UNION
    SELECT l.id, l.parent_id, up.depth + 1
    FROM dataset_lineage l JOIN up ON l.child_id = up.node
    WHERE up.depth < $4
),
down(edge_id, node, depth) AS (
    SELECT l.id, l.child_id, 1 FROM dataset_lineage l WHERE l.parent_id = $1 AND $3
    UNION
    SELECT l.id, l.child_id, down.depth + 1
    FROM dataset_lineage l JOIN down ON l.parent_id = down.node
    WHERE down.depth < $4
)
SELECT l.* FROM dataset_lineage l
WHERE l.id IN (SELECT edge_id FROM up UNION SELECT edge_id FROM down)
ORDER BY l.created_at, l.id";

impl Registry {
    pub async fn lineage(&self, id: Uuid, query: &LineageQuery) -> Result<Lineage, ApiError> {
        let depth = query.depth.unwrap_or(DEFAULT_DEPTH);
        if !(1..=MAX_DEPTH).contains(&depth) {
            return Err(ApiError::Problem(bad_query(
                "depth",
                format!("{depth} is outside 1..={MAX_DEPTH}"),
            )));
        }
        let direction = query.direction.unwrap_or(LineageDirection::Both);
        let up = matches!(direction, LineageDirection::Up | LineageDirection::Both);
        let down = matches!(direction, LineageDirection::Down | LineageDirection::Both);
        // The root must exist (404 otherwise), even without edges.
        dataset::Entity::find_by_id(id)
            .one(&self.db)
            .await?
            .ok_or_else(|| ApiError::not_found("dataset", id))?;
        let edges = dataset_lineage::Entity::find()
            .from_raw_sql(Statement::from_sql_and_values(
                DbBackend::Postgres,
                EDGES,
                [
                    id.into(),
                    up.into(),
                    down.into(),
                    i32::try_from(depth).unwrap_or(10).into(),
                ],
            ))
            .all(&self.db)
            .await?;

        // Depth of every node: negative upstream, positive downstream, 0 for the root.
        let mut depths: BTreeMap<Uuid, i32> = BTreeMap::from([(id, 0)]);
        let parents: HashMap<Uuid, Vec<Uuid>> = edges.iter().fold(HashMap::new(), |mut m, e| {
            m.entry(e.child_id).or_default().push(e.parent_id);
            m
        });
        let children: HashMap<Uuid, Vec<Uuid>> = edges.iter().fold(HashMap::new(), |mut m, e| {
            m.entry(e.parent_id).or_default().push(e.child_id);
            m
        });
        for (links, sign) in [(&parents, -1), (&children, 1)] {
            let mut frontier = vec![id];
            let mut level = 0;
            while !frontier.is_empty() {
                level += 1;
                let mut next = Vec::new();
                for node in frontier {
                    for &linked in links.get(&node).into_iter().flatten() {
                        if let std::collections::btree_map::Entry::Vacant(slot) =
                            depths.entry(linked)
                        {
                            slot.insert(sign * level);
                            next.push(linked);
                        }
                    }
                }
                frontier = next;
            }
        }

        let ids: Vec<Uuid> = depths.keys().copied().collect();
        let datasets = dataset::Entity::find()
            .filter(dataset::Column::Id.is_in(ids))
            .all(&self.db)
            .await?;
        let group_ids: Vec<Uuid> = datasets.iter().map(|d| d.group_id).collect();
        let groups: HashMap<Uuid, dataset_group::Model> = dataset_group::Entity::find()
            .filter(dataset_group::Column::Id.is_in(group_ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|g| (g.id, g))
            .collect();
        let mut nodes = Vec::with_capacity(datasets.len());
        for model in datasets {
            let Some(group) = groups.get(&model.group_id) else {
                continue;
            };
            let format =
                datamill_db::types::parse_format(&group.annotation_format).ok_or_else(|| {
                    ApiError::Internal(format!(
                        "stored format {:?} is unknown",
                        group.annotation_format
                    ))
                })?;
            let depth = depths.get(&model.id).copied().unwrap_or_default();
            nodes.push(LineageNode {
                depth,
                group_name: group.name.clone(),
                dataset_type: group.dataset_type,
                dataset: dataset_dto(model, format)?,
            });
        }
        nodes.sort_by_key(|n| (n.depth, n.dataset.created_at));
        Ok(Lineage {
            root: id,
            direction,
            depth,
            nodes,
            edges: edges
                .into_iter()
                .map(|e| LineageEdge {
                    parent_id: e.parent_id,
                    child_id: e.child_id,
                    transform_config: e.transform_config,
                    created_at: e.created_at,
                })
                .collect(),
        })
    }
}
