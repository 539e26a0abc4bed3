"""Classroom: a teacher creates a class and projects its live board; students join with the
class's code and a display name, then take on the teacher's challenges on the Playground.

Layout only: the parts are in app_pages/classroom_parts/ (the store, teacher, board, student),
the classroom itself (challenges, checks, the database) in core/classroom/. Which view shows:
the teacher link (`?teacher=<secret>`) opens the class's board; a student who joined in this
session, or who opened their private rejoin link (`?seat=<token>`), sees their class; anyone else
can join a class or create one. Per-student state (the seat's token, the challenge started)
lives in st.session_state only.
"""

import streamlit as st

from app_pages.classroom_parts import student, teacher
from app_pages.classroom_parts.store_access import seat

st.title("🏫 Classroom")
teacher_secret = st.query_params.get(teacher.TEACHER_PARAM)
if not teacher_secret and st.session_state.get(teacher.TEACHER_SESSION_KEY):
    # back from another page of this session: the address bar becomes the teacher link again
    teacher_secret = st.query_params[teacher.TEACHER_PARAM] = st.session_state[teacher.TEACHER_SESSION_KEY]
my_seat = seat()
seat_token = st.query_params.get(student.SEAT_PARAM)
if not teacher_secret and seat_token and (my_seat is None or my_seat.membership.member_token != seat_token):
    my_seat = student.rejoin(str(seat_token))  # the student's rejoin link, after a reload
if teacher_secret:
    teacher.teacher_view(str(teacher_secret))
elif my_seat is not None:
    student.class_view(my_seat)
else:
    st.caption(
        "Students: type the code your teacher shows and the name you want on the class board "
        "(no account needed). Teachers: create a class, then project its board."
    )
    join_tab, create_tab = st.tabs(["Join a class", "Create a class (teacher)"])
    with join_tab:
        student.join_form()
    with create_tab:
        teacher.create_class_form()
